// libspm version: the one number that CMake, C++ and Python all read.
#pragma once

#define SPM_VERSION_MAJOR 0
#define SPM_VERSION_MINOR 1
#define SPM_VERSION_PATCH 0
#define SPM_VERSION_STRING "0.1.0"

namespace spm {
/// The library version as "major.minor.patch".
inline constexpr const char* version_string = SPM_VERSION_STRING;
}  // namespace spm
