#include <iostream>
#include <iterator>

#include "cli/app.h"
#include "cli/commands.h"

namespace weft::cli {

namespace {

struct AdminArgs {
  std::string email;
  std::string password;
  bool password_stdin = false;
  bool platform_admin = false;
  std::string org;
  std::string role = "member";
  std::string name;
};

int create_user(const Config& config, const AdminArgs& args) {
  std::string password = args.password;
  if (args.password_stdin) {
    password.assign(std::istreambuf_iterator<char>(std::cin), {});
    while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) password.pop_back();
  }
  if (password.empty()) return report(Error::make("invalid_input", "give --password or --password-stdin"));
  auto app = App::open(config);
  if (!app.ok()) return report(app.error());
  auto user = (*app)->accounts->create_user(args.email, password, args.platform_admin);
  if (!user.ok()) return report(user.error());
  std::cout << user->id.str() << "\n";
  return 0;
}

int create_org(const Config& config, const AdminArgs& args) {
  auto app = App::open(config);
  if (!app.ok()) return report(app.error());
  auto org = (*app)->accounts->create_org(args.name);
  if (!org.ok()) return report(org.error());
  std::cout << org->id.str() << "\n";
  return 0;
}

int add_member(const Config& config, const AdminArgs& args) {
  auto role = store::parse_role(args.role);
  if (!role) return report(Error::make("invalid_input", "--role must be member or admin"));
  auto app = App::open(config);
  if (!app.ok()) return report(app.error());
  auto org = resolve_org(**app, args.org);
  if (!org.ok()) return report(org.error());
  auto done = (*app)->accounts->add_member(*org, args.email, *role);
  if (!done.ok()) return report(done.error());
  std::cout << "added " << args.email << " to " << org->str() << " as " << args.role << "\n";
  return 0;
}

}  // namespace

void add_admin_commands(CLI::App& app, Config& config, CommandAction& action) {
  auto* admin = app.add_subcommand("admin", "Users, organizations and memberships");
  admin->require_subcommand(1);
  auto args = std::make_shared<AdminArgs>();

  auto* user = admin->add_subcommand("create-user", "Create a user; prints its id");
  user->add_option("--email", args->email, "Email (the login)")->required();
  user->add_option("--password", args->password, "Password (at least 10 characters)");
  user->add_flag("--password-stdin", args->password_stdin, "Read the password from standard input");
  user->add_flag("--platform-admin", args->platform_admin, "Make the user a platform administrator");
  user->callback([&, args] { action = [&, args] { return create_user(config, *args); }; });

  auto* org = admin->add_subcommand("create-org", "Create an organization; prints its id");
  org->add_option("NAME", args->name, "Organization name")->required();
  org->callback([&, args] { action = [&, args] { return create_org(config, *args); }; });

  auto* member = admin->add_subcommand("add-member", "Add a user to an organization");
  member->add_option("--org", args->org, "Organization id or name")->required();
  member->add_option("--email", args->email, "The user's email")->required();
  member->add_option("--role", args->role, "member | admin")->check(CLI::IsMember({"member", "admin"}));
  member->callback([&, args] { action = [&, args] { return add_member(config, *args); }; });
}

}  // namespace weft::cli
