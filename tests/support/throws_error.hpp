// Shared by every C++ test suite: an error is checked by type, stable id and full message.
#pragma once

#include <gtest/gtest.h>

#include <exception>
#include <string_view>

namespace spm::test {

/// Checks that `f` throws exactly type E with this id and this what() text, word for word.
template <class E, class F>
::testing::AssertionResult throws_error(F&& f, std::string_view id, std::string_view what) {
  try {
    f();
  } catch (const E& e) {
    if (e.id() == id && std::string_view(e.what()) == what) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "\n  expected id:   " << id << "\n  actual id:     "
                                         << e.id() << "\n  expected what: " << what
                                         << "\n  actual what:   " << e.what();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure()
           << "threw another exception type; expected id " << id << ", got: " << e.what();
  } catch (...) {
    return ::testing::AssertionFailure() << "threw a non-std exception; expected id " << id;
  }
  return ::testing::AssertionFailure() << "threw nothing; expected " << id << ": " << what;
}

}  // namespace spm::test
