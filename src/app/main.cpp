// leakaudit: audit what a plugin's harness leaves behind when it stops.
#include "app/cli.hpp"

int main(int argc, char** argv) {
    return leakaudit::cli_main(argc, argv);
}
