// Prints docs/error-codes.md from the ErrorCode table. The test
// `docs.error_codes_in_step` compares its output with the checked-in file;
// regenerate with:  build/dev/tests/tools/print_error_codes > docs/error-codes.md
#include <iostream>

#include "verun/error_code.h"

int main() {
  std::cout << "# Error codes\n\n"
               "Every failure in verun carries one of these stable codes (HTTP error bodies,\n"
               "verification reports, CLI output). A code is never renamed or reused once\n"
               "released; new codes are appended. This file is generated from\n"
               "`proofs/include/verun/error_codes/*.def` by\n"
               "`build/dev/tests/tools/print_error_codes > docs/error-codes.md`, and the test\n"
               "`docs.error_codes_in_step` fails when the two differ.\n\n"
               "| code | meaning |\n| --- | --- |\n";
  for (const auto& info : verun::all_error_codes())
    std::cout << "| `" << info.name << "` | " << info.meaning << " |\n";
  return 0;
}
