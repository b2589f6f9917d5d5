#include <spm/core/error.hpp>

namespace spm {
namespace {
std::string format_message(const std::string& id, const std::string& path,
                           const std::string& message) {
  std::string out = "[" + id + "] ";
  if (!path.empty()) out += path + ": ";
  out += message;
  return out;
}
}  // namespace

Error::Error(std::string id, std::string path, const std::string& message)
    : std::runtime_error(format_message(id, path, message)),
      id_(std::move(id)),
      path_(std::move(path)),
      detail_(message) {}

std::string join_path(std::string_view parent, std::string_view child) {
  if (parent.empty()) return std::string(child);
  if (child.empty()) return std::string(parent);
  std::string out(parent);
  if (child.front() != '[') out += '.';
  out += child;
  return out;
}

}  // namespace spm
