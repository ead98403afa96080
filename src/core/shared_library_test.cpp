// SharedLibrary: a library loaded by name, its functions found by name, and clear errors (naming
// the library, the function and the package) when either is missing.
#include "core/shared_library.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace weft {
namespace {

TEST(SharedLibrary, FindsAFunctionOfALoadedLibraryThatWorks) {
  const SharedLibrary libm("libm.so.6", "libc6");
  auto* cosine = reinterpret_cast<double (*)(double)>(libm.symbol("cos"));
  ASSERT_NE(cosine, nullptr);
  EXPECT_DOUBLE_EQ(cosine(0.0), 1.0);
  EXPECT_TRUE(SharedLibrary::is_loaded("libm.so.6"));
}

TEST(SharedLibrary, AMissingLibraryNamesItselfAndThePackageToInstall) {
  EXPECT_FALSE(SharedLibrary::is_loaded("libweft-no-such-library.so.1"));
  try {
    const SharedLibrary missing("libweft-no-such-library.so.1", "weft-nothing");
    FAIL() << "a library that does not exist was loaded";
  } catch (const SharedLibraryMissing& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("libweft-no-such-library.so.1"), std::string::npos) << what;
    EXPECT_NE(what.find("install the weft-nothing package"), std::string::npos) << what;
  }
  EXPECT_FALSE(SharedLibrary::is_loaded("libweft-no-such-library.so.1"));
}

TEST(SharedLibrary, AMissingFunctionIsAnErrorNotANullPointer) {
  const SharedLibrary libm("libm.so.6", "libc6");
  try {
    (void)libm.symbol("weft_no_such_function");
    FAIL() << "a function that does not exist was found";
  } catch (const SharedLibraryMissing& e) {
    EXPECT_NE(std::string(e.what()).find("has no function weft_no_such_function"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace weft
