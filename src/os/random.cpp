// Random bytes from getrandom(2), for the run id the harness and its processes carry.
#include "os/random.hpp"

#include <sys/random.h>

#include <vector>

namespace leakaudit::os {

std::string random_hex(std::size_t bytes) {
    std::vector<unsigned char> raw(bytes);
    std::size_t got = 0;
    while (got < bytes) {
        ssize_t n = getrandom(raw.data() + got, bytes - got, 0);
        if (n > 0) got += static_cast<std::size_t>(n);
    }
    static const char k_hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : raw) {
        out += k_hex[c >> 4];
        out += k_hex[c & 15];
    }
    return out;
}

}  // namespace leakaudit::os
