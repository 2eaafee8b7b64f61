// Secret redaction on plain strings and argument vectors: one case per shape, the
// false positives it must avoid, and idempotence (ids fold secrets by redacting them).
#include <catch2/catch.hpp>

#include "core/redact.hpp"

using namespace leakaudit;

namespace {

using Args = std::vector<std::string>;

Args redact(const Args& argv) {
    return Redactor().args(argv);
}
std::string redact(std::string_view text) {
    return Redactor().text(text);
}

}  // namespace

TEST_CASE("redact: --opt=VALUE for password, token, key, secret, auth and credential options", "[redact]") {
    CHECK(redact(Args{"app", "--password=hunter2"}) == Args{"app", "--password=***"});
    CHECK(redact(Args{"app", "--passwd=x", "--pwd=y", "--pass=z"}) ==
          Args{"app", "--passwd=***", "--pwd=***", "--pass=***"});
    CHECK(redact(Args{"app", "--api-key=k1", "--apikey=k2", "--api_key=k3", "--key=k4"}) ==
          Args{"app", "--api-key=***", "--apikey=***", "--api_key=***", "--key=***"});
    CHECK(redact(Args{"app", "--client-secret=s", "--auth=u:p", "--credentials=c", "--private-key=pk"}) ==
          Args{"app", "--client-secret=***", "--auth=***", "--credentials=***", "--private-key=***"});
    CHECK(redact(Args{"app", "--auth-token=t", "--accessToken=t2", "-Djavax.net.ssl.keyStorePassword=ks"}) ==
          Args{"app", "--auth-token=***", "--accessToken=***", "-Djavax.net.ssl.keyStorePassword=***"});
    // One argument is one value: spaces and `&` inside it are the password's.
    CHECK(redact(Args{"app", "--password=a b&c"}) == Args{"app", "--password=***"});
    // An empty value has nothing to hide.
    CHECK(redact(Args{"app", "--password="}) == Args{"app", "--password="});
}

TEST_CASE("redact: --opt VALUE hides the whole next argument", "[redact]") {
    CHECK(redact(Args{"app", "--token", "abc def", "--port", "80"}) == Args{"app", "--token", "***", "--port", "80"});
    CHECK(redact(Args{"openssl", "-passin", "pass:hunter2"}) == Args{"openssl", "-passin", "***"});
    CHECK(redact(Args{"app", "--secret", "s3"}) == Args{"app", "--secret", "***"});
    // A following long option is not a value: `--token` was a switch here.
    CHECK(redact(Args{"app", "--token", "--verbose"}) == Args{"app", "--token", "--verbose"});
    // A secret option as the last argument has no value to hide.
    CHECK(redact(Args{"app", "--password"}) == Args{"app", "--password"});
}

TEST_CASE("redact: short password flags only for programs known to take them", "[redact]") {
    CHECK(redact(Args{"mysql", "-uroot", "-phunter2", "db"}) == Args{"mysql", "-uroot", "-p***", "db"});
    CHECK(redact(Args{"/usr/bin/mysqldump", "-p=hunter2"}) == Args{"/usr/bin/mysqldump", "-p=***"});
    // mysql: a separate word after -p / --password is the database (it prompts).
    CHECK(redact(Args{"mysql", "-p", "shop"}) == Args{"mysql", "-p", "shop"});
    CHECK(redact(Args{"mysql", "--password", "shop"}) == Args{"mysql", "--password", "shop"});
    CHECK(redact(Args{"mysql", "--password=hunter2"}) == Args{"mysql", "--password=***"});
    CHECK(redact(Args{"sshpass", "-p", "hunter2", "ssh", "-p", "22", "h"}) ==
          Args{"sshpass", "-p", "***", "ssh", "-p", "22", "h"});
    CHECK(redact(Args{"redis-cli", "-a", "hunter2"}) == Args{"redis-cli", "-a", "***"});
    CHECK(redact(Args{"ldapsearch", "-D", "cn=admin", "-w", "hunter2"}) ==
          Args{"ldapsearch", "-D", "cn=admin", "-w", "***"});
    // psql's --password only forces a prompt: the next word is the database.
    CHECK(redact(Args{"psql", "--password", "shop"}) == Args{"psql", "--password", "shop"});
    // curl -u user:password: the user stays.
    CHECK(redact(Args{"curl", "-u", "alice:hunter2", "https://h"}) == Args{"curl", "-u", "alice:***", "https://h"});
    CHECK(redact(Args{"curl", "--user=alice:hunter2"}) == Args{"curl", "--user=alice:***"});
    CHECK(redact(Args{"curl", "-u", "alice"}) == Args{"curl", "-u", "alice"});
    // Without such a program, -p is a port, a parent flag, anything.
    CHECK(redact(Args{"ssh", "-p22", "-p=22", "h"}) == Args{"ssh", "-p22", "-p=22", "h"});
    CHECK(redact(Args{"mkdir", "-p", "/tmp/x"}) == Args{"mkdir", "-p", "/tmp/x"});
}

TEST_CASE("redact: NAME=VALUE in the environment style and in URL queries", "[redact]") {
    CHECK(redact(Args{"env", "DB_PASSWORD=hunter2", "GITHUB_TOKEN=t", "AWS_SECRET_ACCESS_KEY=k", "app"}) ==
          Args{"env", "DB_PASSWORD=***", "GITHUB_TOKEN=***", "AWS_SECRET_ACCESS_KEY=***", "app"});
    CHECK(redact(Args{"curl", "https://h/x?api_key=K123&token=T456&page=2"}) ==
          Args{"curl", "https://h/x?api_key=***&token=***&page=2"});
    CHECK(redact("GET /x?access_token=abc&sig=def#frag") == "GET /x?access_token=***&sig=***#frag");
    CHECK(redact(Args{"java", "-Dspring.datasource.password=pw"}) == Args{"java", "-Dspring.datasource.password=***"});
    // `--set password=x`: the value after the inner name.
    CHECK(redact(Args{"helm", "--set", "db.password=pw,db.user=u"}) == Args{"helm", "--set", "db.password=***"});
    // PWD is the working folder, not a password.
    CHECK(redact(Args{"env", "PWD=/srv/app", "app"}) == Args{"env", "PWD=/srv/app", "app"});
}

TEST_CASE("redact: URL userinfo passwords", "[redact]") {
    CHECK(redact(Args{"app", "postgres://user:pass@host/db"}) == Args{"app", "postgres://user:***@host/db"});
    CHECK(redact(Args{"app", "--dsn=mysql://u:p@ss@h:3306/x"}) == Args{"app", "--dsn=mysql://u:***@h:3306/x"});
    CHECK(redact("connect redis://:hunter2@cache:6379 now") == "connect redis://:***@cache:6379 now");
    CHECK(redact("https://0123456789abcdef0123456789abcdef@github.com/x") == "https://***@github.com/x");
    // No password, or a plain user: unchanged.
    CHECK(redact("ssh://git@github.com/x https://h:8080/a@b") == "ssh://git@github.com/x https://h:8080/a@b");
}

TEST_CASE("redact: well-known credential shapes anywhere", "[redact]") {
    CHECK(redact("key AKIAIOSFODNN7EXAMPLE and ASIAIOSFODNN7EXAMPLE") == "key *** and ***");
    CHECK(redact(Args{"aws", "AKIAIOSFODNN7EXAMPLEX"}) == Args{"aws", "AKIAIOSFODNN7EXAMPLEX"});  // 17 chars: no
    CHECK(redact("ghp_0123456789abcdefghijABCDEFGHIJ012345 github_pat_11AAAAAAA0_abcdefghijklmnopqrstuv") == "*** ***");
    CHECK(redact("xoxb-1234567890-abcdefghij glpat-abcdefghij0123456789") == "*** ***");
    CHECK(redact("jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX2hlcmU") == "jwt=***");
    CHECK(redact("token eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjM0In0. end") == "token *** end");
    CHECK(redact("not a jwt: eyJhbGciOiJIUzI1NiJ9 alone") == "not a jwt: eyJhbGciOiJIUzI1NiJ9 alone");
}

TEST_CASE("redact: bearer tokens and Authorization values keep the scheme", "[redact]") {
    CHECK(redact(Args{"curl", "-H", "Authorization: Bearer abc.def"}) ==
          Args{"curl", "-H", "Authorization: Bearer ***"});
    CHECK(redact(Args{"curl", "-H", "Authorization: Basic dXNlcjpwdw=="}) ==
          Args{"curl", "-H", "Authorization: Basic ***"});
    CHECK(redact(Args{"curl", "-H", "X-Api-Key: k1"}) == Args{"curl", "-H", "X-Api-Key: ***"});
    CHECK(redact(Args{"tool", "Bearer", "abc"}) == Args{"tool", "Bearer", "***"});
    CHECK(redact(Args{"tool", "Authorization:", "Bearer", "abc"}) == Args{"tool", "Authorization:", "Bearer", "***"});
    CHECK(redact("sent bearer xyz to it") == "sent bearer *** to it");
    CHECK(redact(R"({"password": "a b", "user": "u"})") == R"({"password": "***", "user": "u"})");
}

TEST_CASE("redact: private key blocks keep their BEGIN and END lines", "[redact]") {
    std::string pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAAK\n-----END RSA PRIVATE KEY-----";
    CHECK(redact(Args{"app", "--tls=" + pem}) ==
          Args{"app", "--tls=-----BEGIN RSA PRIVATE KEY-----***-----END RSA PRIVATE KEY-----"});
    CHECK(redact("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk (cut)") ==
          "-----BEGIN OPENSSH PRIVATE KEY-----***");
    std::string cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
    CHECK(redact(cert) == cert);
}

TEST_CASE("redact: command lines inside one argument (sh -c) and free text", "[redact]") {
    CHECK(redact(Args{"sh", "-c", "mysql -phunter2 db; app --token 'a b' --port 1"}) ==
          Args{"sh", "-c", "mysql -p*** db; app --token '***' --port 1"});
    CHECK(redact(Args{"sh", "-c", "curl -H 'Authorization: Bearer xyz' https://h"}) ==
          Args{"sh", "-c", "curl -H 'Authorization: Bearer ***' https://h"});
    CHECK(redact("under harness app '--password=a b' --x") == "under harness app '--password=***' --x");
    // After `;` a new command starts: ssh's -p is a port again.
    CHECK(redact("mysql -pX; ssh -p22 h") == "mysql -p***; ssh -p22 h");
}

TEST_CASE("redact: names that only look secret stay", "[redact]") {
    Args plain{"app",
               "--keep",
               "--keyboard=us",
               "--tokenizer=bpe",
               "--max-tokens=100",
               "--author=a",
               "--bypass=1",
               "--sort-key=name",
               "--public-key=pk",
               "--password-file=/run/pw",
               "--key-file=/etc/k",
               "--token-path=/t",
               "--auth-type=basic",
               "--no-auth",
               "x",
               "--ask-pass",
               "y"};
    CHECK(redact(plain) == plain);
    // `--password-stdin` is a switch: the next word is the registry.
    CHECK(redact(Args{"docker", "login", "--password-stdin", "ghcr.io"}) ==
          Args{"docker", "login", "--password-stdin", "ghcr.io"});
    // Socket and descriptor texts, paths, times.
    for (std::string_view text : {"holds tcp 127.0.0.1:41234 listen", "holds /memfd:shared-memory-region (deleted)",
                                  "anon_inode:[eventpoll]", "at 12:30:01", "key: value", "/tmp/plugin-secret-9wydXW"})
        CHECK(redact(text) == text);
}

TEST_CASE("redact: bytes that are not UTF-8 survive, secrets in them do not", "[redact]") {
    std::string arg = std::string("--password=hunt\xff") + "er2";
    CHECK(redact(Args{"app\xfe", arg, "caf\xe9"}) == Args{"app\xfe", "--password=***", "caf\xe9"});
}

TEST_CASE("redact: redacting twice changes nothing", "[redact]") {
    Args argv{"mysql",
              "-pX",
              "--token",
              "t",
              "postgres://u:p@h",
              "AKIAIOSFODNN7EXAMPLE",
              "Authorization: Basic x",
              "?a=1&token=z",
              "-----BEGIN EC PRIVATE KEY-----\nAA\n-----END EC PRIVATE KEY-----"};
    Args once = redact(argv);
    CHECK(redact(once) == once);
    std::string text = "curl --token 'a b' https://u:p@h?key=1 Bearer q";
    CHECK(redact(redact(text)) == redact(text));
}

TEST_CASE("redact: extra names and regexes from [settings]", "[redact]") {
    RedactPatterns extra;
    extra.names = {"--db-pass", "license"};
    extra.regexes = {std::make_shared<const std::regex>("sess-[0-9a-f]+"),
                     std::make_shared<const std::regex>("pin=([0-9]+)")};
    Redactor r(extra);
    CHECK(r.args(Args{"app", "--db-pass", "pw", "--DB_PASS=pw2", "LICENSE=abc", "id=sess-beef", "pin=1234"}) ==
          Args{"app", "--db-pass", "***", "--DB_PASS=***", "LICENSE=***", "id=***", "pin=***"});
    // A value too long for std::regex to check safely is hidden whole.
    std::string huge(k_max_regex_input + 1, 'a');
    CHECK(r.text(huge) == "***");
    CHECK(Redactor().text(huge) == huge);
}
