// Name rules are word rules, not substring rules: a substring test would take
// `--keyboard`, `--tokenizer`, `--bypass` and `--author` for secrets, and miss nothing
// that the last-word test catches (see README, "Secrets in reports").
#include "core/redact_names.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <utility>

namespace leakaudit::redact_detail {

namespace {

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}
bool is_upper(char c) {
    return std::isupper(static_cast<unsigned char>(c)) != 0;
}

std::string lowered(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), lower);
    return out;
}

// "X-Amz-Security-Token" → x, amz, security, token; "keyStorePassword" → key, store, password.
std::vector<std::string> words_of(std::string_view name) {
    std::vector<std::string> words;
    std::string word;
    for (std::size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        bool separator = c == '-' || c == '_' || c == '.';
        bool hump = i > 0 && is_upper(c) && !is_upper(name[i - 1]) && !separator;
        if ((separator || hump) && !word.empty()) words.push_back(std::exchange(word, {}));
        if (!separator) word += lower(c);
    }
    if (!word.empty()) words.push_back(word);
    return words;
}

// A last word that is itself the secret's name.
constexpr std::string_view k_secret_words[] = {
    "password",  "passwd", "pwd",           "pass",       "passphrase",  "passcode", "secret",     "token",
    "apikey",    "auth",   "authorization", "credential", "credentials", "creds",    "privatekey", "cookie",
    "signature", "sig",    "passin",        "passout",    "key",         "secretkey"};
// Compounds written as one word: `dbpassword`, `authtoken`, `clientsecret`, `accesskey`.
constexpr std::string_view k_secret_suffixes[] = {"password",   "passwd",    "passphrase", "secret",
                                                  "token",      "apikey",    "credential", "credentials",
                                                  "privatekey", "accesskey", "secretkey"};
// `key` after these names a lookup or a public key, not a secret: `--sort-key`, `public_key`.
constexpr std::string_view k_plain_key_kinds[] = {"public", "pub",    "sort",     "primary",     "foreign", "partition",
                                                  "cache",  "hot",    "shortcut", "group",       "routing", "row",
                                                  "index",  "lookup", "hash",     "idempotency", "host"};
// A switch about a secret, not one: `--no-auth`, `--ask-pass`, `--use-token`.
constexpr std::string_view k_switch_words[] = {"no",      "skip", "disable", "enable", "use",
                                               "without", "with", "ask",     "require"};
// Too common on their own before a colon (`key: value`, `pass: 1`) to mean a secret.
constexpr std::string_view k_bare_colon_words[] = {"key", "pass", "pwd", "auth", "sig"};

template <std::size_t N>
bool contains(const std::string_view (&words)[N], std::string_view word) {
    return std::find(std::begin(words), std::end(words), word) != std::end(words);
}

bool secret_words(const std::vector<std::string>& words) {
    const std::string& last = words.back();
    std::string_view before = words.size() > 1 ? std::string_view(words[words.size() - 2]) : std::string_view();
    if (words.size() > 1 && contains(k_switch_words, words.front())) return false;
    if (contains(k_secret_words, last)) return last != "key" || !contains(k_plain_key_kinds, before);
    return std::any_of(std::begin(k_secret_suffixes), std::end(k_secret_suffixes),
                       [&](std::string_view suffix) { return last.ends_with(suffix); });
}

// `db-pass` and `DB_PASS` are one name to a user writing [settings] redact.
std::string normalized(std::string_view name) {
    std::string out = lowered(name);
    std::replace(out.begin(), out.end(), '_', '-');
    return out;
}

bool is_extra_name(std::string_view name, const std::vector<std::string>& extra) {
    std::string wanted = normalized(name);
    return std::any_of(extra.begin(), extra.end(), [&](const std::string& e) {
        std::string_view bare = e;
        while (bare.starts_with('-'))
            bare.remove_prefix(1);
        return normalized(bare) == wanted;
    });
}

bool contains_no_case(std::string_view text, std::string_view part) {
    for (std::size_t i = 0; i + part.size() <= text.size(); ++i) {
        std::size_t k = 0;
        while (k < part.size() && lower(text[i + k]) == part[k])
            ++k;
        if (k == part.size()) return true;
    }
    return false;
}

// Every secret word contains one of these: most names (`socket`, `port`) are ruled out
// without splitting them into words.
bool may_be_secret(std::string_view name) {
    for (std::string_view part : {"pass", "pwd", "secret", "token", "key", "auth", "cred", "cookie", "sig"}) {
        if (contains_no_case(name, part)) return true;
    }
    return false;
}

}  // namespace

bool is_secret_name(std::string_view name, NameForm form, const std::vector<std::string>& extra) {
    while (name.starts_with('-'))
        name.remove_prefix(1);
    if (name.empty()) return false;
    if (!extra.empty() && is_extra_name(name, extra)) return true;
    if (!may_be_secret(name)) return false;
    if (name == "PWD") return false;  // the shell's working folder, in `env PWD=/srv …`
    std::vector<std::string> words = words_of(name);
    if (words.empty() || !secret_words(words)) return false;
    return form == NameForm::assignment || words.size() > 1 || !contains(k_bare_colon_words, words.back());
}

namespace {

using Flags = ProgramFlags;

// mysql and mariadb: the password is attached (`-pSECRET`, `--password=SECRET`); a
// separate word after `-p` or `--password` is the database, and they prompt.
const Flags k_mysql_flags{{{"-p", FlagValue::attached, false}, {"--password", FlagValue::attached, false}}};
// PostgreSQL clients: `-W` / `--password` only force a prompt.
const Flags k_postgres_flags{{{"--password", FlagValue::boolean, false}, {"-W", FlagValue::boolean, false}}};
const Flags k_sshpass_flags{{{"-p", FlagValue::attached_or_next, false}}, true};
const Flags k_redis_flags{{{"-a", FlagValue::attached_or_next, false}}};
const Flags k_mongo_flags{{{"-p", FlagValue::attached_or_next, false}}};
const Flags k_ldap_flags{{{"-w", FlagValue::attached_or_next, false}}};
const Flags k_curl_flags{{{"-u", FlagValue::attached_or_next, true},
                          {"--user", FlagValue::attached_or_next, true},
                          {"-U", FlagValue::attached_or_next, true},
                          {"--proxy-user", FlagValue::attached_or_next, true}}};

const std::pair<std::string_view, const Flags*> k_programs[] = {
    {"mysql", &k_mysql_flags},         {"mysqldump", &k_mysql_flags},    {"mysqladmin", &k_mysql_flags},
    {"mysqlimport", &k_mysql_flags},   {"mysqlshow", &k_mysql_flags},    {"mysqlcheck", &k_mysql_flags},
    {"mysqlpump", &k_mysql_flags},     {"mysqlslap", &k_mysql_flags},    {"mysqlbinlog", &k_mysql_flags},
    {"mariadb", &k_mysql_flags},       {"mariadb-dump", &k_mysql_flags}, {"mariadb-admin", &k_mysql_flags},
    {"psql", &k_postgres_flags},       {"pg_dump", &k_postgres_flags},   {"pg_dumpall", &k_postgres_flags},
    {"pg_restore", &k_postgres_flags}, {"createdb", &k_postgres_flags},  {"dropdb", &k_postgres_flags},
    {"pgbench", &k_postgres_flags},    {"sshpass", &k_sshpass_flags},    {"redis-cli", &k_redis_flags},
    {"mongo", &k_mongo_flags},         {"mongosh", &k_mongo_flags},      {"mongodump", &k_mongo_flags},
    {"mongorestore", &k_mongo_flags},  {"ldapsearch", &k_ldap_flags},    {"ldapadd", &k_ldap_flags},
    {"ldapmodify", &k_ldap_flags},     {"ldapdelete", &k_ldap_flags},    {"curl", &k_curl_flags},
};

}  // namespace

const ProgramFlags* program_flags(std::string_view word) {
    std::size_t slash = word.rfind('/');
    if (slash != std::string_view::npos) word.remove_prefix(slash + 1);
    for (const auto& [name, flags] : k_programs) {
        if (word == name) return flags;
    }
    return nullptr;
}

}  // namespace leakaudit::redact_detail
