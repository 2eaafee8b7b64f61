// leakaudit: audit what a plugin's harness leaves behind when it stops.
#include <signal.h>

#include "app/cli.hpp"

int main(int argc, char** argv) {
    // A reader that goes away (`leakaudit run … | head -c1`, a harness that never reads
    // its acknowledgements) must not end the run: writes fail with EPIPE instead and the
    // run still settles, reaps and writes its reports (README "Exit codes"). The
    // supervisor restores the default disposition for the harness, since an ignored
    // signal stays ignored across exec.
    signal(SIGPIPE, SIG_IGN);
    return leakaudit::cli_main(argc, argv);
}
