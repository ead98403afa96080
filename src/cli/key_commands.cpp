// cli/key_commands.cpp — `weft admin rotate-master-key` and `weft admin check-credentials`: the
// operator's side of master-key safety (vault/key_check.h, vault/key_rotation.h). Neither prints
// a key or a secret; key ids only.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/app.h"
#include "cli/commands.h"
#include "vault/key_check.h"
#include "vault/key_rotation.h"

namespace weft::cli {

namespace {

// Replaces <data dir>/master.key by `hex` (0600, written beside it, then renamed over it).
Status replace_key_file(const std::string& path, const std::string& hex) {
  const std::string temp = path + ".rotating";
  std::filesystem::remove(temp);
  {
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return Error::make("key_file_unwritable", "cannot write " + temp);
    const std::string line = hex + "\n";
    const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) return Error::make("key_file_unwritable", "cannot write " + temp);
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) return Error::make("key_file_unwritable", "cannot replace " + path + ": " + ec.message());
  return {};
}

int rotate(const Config& config, const std::string& new_key_file) {
  if (!std::filesystem::exists(new_key_file)) {
    return report(Error::make("invalid_input", "--new-key-file " + new_key_file + " does not exist (it must hold "
                                               "64 hexadecimal characters, mode 0600; e.g. openssl rand -hex 32)"));
  }
  auto next = vault::MasterKey::load_or_create_file(new_key_file);  // exists: read and checked, never created
  if (!next.ok()) return report(next.error());
  // The store alone: App::open refuses a database whose rotation was interrupted, which this finishes.
  auto store = open_store_of(config);
  if (!store.ok()) return report(store.error());
  auto current = vault::MasterKey::resolve(config.master_key, config.data_dir);
  if (!current.ok()) return report(current.error());
  // For the crash test: the process is killed (SIGKILL) right after this many re-wraps.
  const char* crash_after = std::getenv("WEFT_TEST_ROTATION_KILL_AFTER");
  const int kill_after = crash_after != nullptr ? std::atoi(crash_after) : 0;
  auto done = vault::rotate_master_key(**store, *current, *next, [kill_after](int rewrapped) {
    if (kill_after > 0 && rewrapped >= kill_after) ::raise(SIGKILL);
  });
  if (!done.ok()) return report(done.error());
  std::cout << "re-wrapped " << done->rewrapped << " of " << done->orgs << " organization keys from key id "
            << done->from_id << " to key id " << done->to_id;
  if (done->already > 0) std::cout << " (" << done->already << " were done by an interrupted run)";
  std::cout << "\n";
  for (const auto& org : done->unreadable) {
    std::cout << "warning: the data key of " << org.str() << " opens with neither key; its credentials stay unreadable\n";
  }
  if (config.master_key.empty()) {
    const std::string key_file = config.data_dir + "/master.key";
    auto hex = read_text_file(new_key_file);
    Status replaced = hex.ok() ? replace_key_file(key_file, hex->substr(0, 64)) : Status(hex.error());
    if (!replaced.ok()) {
      report(replaced.error());
      std::cout << "copy " << new_key_file << " to " << key_file << " before the next start\n";
      return 1;
    }
    std::cout << key_file << " now holds the new key; restart every process that uses this database\n";
  } else {
    std::cout << "set WEFT_MASTER_KEY to the new key on every process that uses this database and restart them\n";
  }
  return done->unreadable.empty() ? 0 : 1;
}

int check_credentials(const Config& config) {
  auto app = App::open(config);
  if (!app.ok()) return report(app.error());
  auto orgs = (*app)->store->orgs().list();
  if (!orgs.ok()) return report(orgs.error());
  int total = 0;
  int failed = 0;
  for (const auto& org : *orgs) {
    auto creds = (*app)->vault->list(org.id);
    if (!creds.ok()) return report(creds.error());
    for (const auto& info : *creds) {
      ++total;
      auto opened = (*app)->vault->open(org.id, info.id);
      std::cout << org.id.str() << "\t" << info.id.str() << "\t" << info.provider << "\t" << info.name << "\t"
                << (opened.ok() ? "ok" : "FAILED " + opened.error().code) << "\n";
      if (!opened.ok()) ++failed;
    }
  }
  std::cout << total << " credentials, " << failed << " cannot be decrypted\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace

void add_key_commands(CLI::App& app, Config& config, CommandAction& action) {
  auto* admin = app.get_subcommand("admin");
  auto* rotate_cmd = admin->add_subcommand(
      "rotate-master-key",
      "Re-wrap every organization's data key with a new master key (servers keep running; re-run after a crash)");
  auto new_key_file = std::make_shared<std::string>();
  rotate_cmd->add_option("--new-key-file", *new_key_file, "File holding the new key: 64 hex characters, mode 0600")
      ->required();
  rotate_cmd->callback([&, new_key_file] { action = [&, new_key_file] { return rotate(config, *new_key_file); }; });
  auto* check_cmd = admin->add_subcommand("check-credentials",
                                          "Decrypt every stored credential and list those that fail (no secret is printed)");
  check_cmd->callback([&] { action = [&] { return check_credentials(config); }; });
}

}  // namespace weft::cli
