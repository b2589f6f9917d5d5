// Tables across the Arrow C data interface: zero-dependency exchange with pyarrow, polars,
// pandas, DuckDB and any Arrow consumer (https://arrow.apache.org/docs/format/CDataInterface.html).
#pragma once

#include <cstdint>

#include <spm/io/table.hpp>

// The ABI-stable structs, verbatim from the specification (guarded so that a program including
// Arrow's own headers sees one definition).
extern "C" {
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE
#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4
struct ArrowSchema {
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;
  void (*release)(struct ArrowSchema*);
  void* private_data;
};
struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;
  void (*release)(struct ArrowArray*);
  void* private_data;
};
#endif
#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE
struct ArrowArrayStream {
  int (*get_schema)(struct ArrowArrayStream*, struct ArrowSchema* out);
  int (*get_next)(struct ArrowArrayStream*, struct ArrowArray* out);
  const char* (*get_last_error)(struct ArrowArrayStream*);
  void (*release)(struct ArrowArrayStream*);
  void* private_data;
};
#endif
}

namespace spm::io {

/// Type mapping (both ways): string <-> utf8 (large_utf8 and string_view also read), decimal <->
/// decimal128(38, 12) (any decimal128 with scale <= 12 is read exactly), integer <-> int64
/// (int8..int64 and uint8..uint32 read), date <-> date32 (date64 read), boolean <-> bool,
/// float64 <-> float64 (float32 read). Other types throw InvalidInputError "arrow.type" naming the
/// column; cast them first.

/// Exports `table` as one struct array plus its schema. The caller owns both and must call their
/// release callbacks (Arrow consumers do).
void export_table(const Table& table, ArrowSchema* schema, ArrowArray* array);
/// Exports `table` as a stream of one batch (moved in: the stream owns the data).
void export_table_stream(Table table, ArrowArrayStream* stream);
/// Reads every batch of a stream into one table and releases the stream.
[[nodiscard]] Table import_table_stream(ArrowArrayStream* stream);

}  // namespace spm::io
