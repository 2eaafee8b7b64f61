// The command line: CLI11 fills the option structs, then one function per command runs.
#pragma once

namespace leakaudit {

int cli_main(int argc, char** argv);

}  // namespace leakaudit
