#include <iostream>
#include <iterator>

#include "cli/app.h"
#include "cli/commands.h"

namespace weft::cli {

namespace {

struct CredentialArgs {
  std::string name;
  std::string provider;
  std::string type;
  std::string secret;
  std::string secret_file;
  bool secret_stdin = false;
  std::string id;
  std::string org;  // name or id; empty: the default organization
  bool json_output = false;
};

json info_to_json(const vault::CredentialInfo& c) {
  return {{"id", c.id.str()}, {"name", c.name}, {"provider", c.provider},
          {"type", vault::to_string(c.type)}, {"createdAt", format_iso8601(c.created_at)}};
}

int add(const Config& config, const CredentialArgs& args) {
  auto type = vault::parse_auth_type(args.type);
  if (!type) {
    return report(Error::make("invalid_credential",
                              "unknown --type '" + args.type + "' (api_key, bearer_token, oauth2, bot_token, none)"));
  }
  const int sources = !args.secret.empty() + !args.secret_file.empty() + args.secret_stdin;
  if (sources > 1) return report(Error::make("invalid_credential", "give only one of --secret, --secret-file, --secret-stdin"));
  std::string text = args.secret.empty() ? "{}" : args.secret;
  if (!args.secret_file.empty()) {
    auto file = read_text_file(args.secret_file);
    if (!file.ok()) return report(file.error());
    text = *file;
  } else if (args.secret_stdin) {
    text.assign(std::istreambuf_iterator<char>(std::cin), {});
  }
  auto secret = parse_json(text);
  if (!secret.ok() || !secret->is_object()) {
    return report(Error::make("invalid_credential", "the secret must be a JSON object"));
  }
  auto app = App::open(config);
  if (!app.ok()) return report(app.error());
  auto org = args.org.empty() ? Result<OrgId>((*app)->org.id) : resolve_org(**app, args.org);
  if (!org.ok()) return report(org.error());
  vault::NewCredential cred{args.name, args.provider, *type, *secret, {}};
  auto created = (*app)->vault->create(*org, cred);
  if (!created.ok()) return report(created.error());
  if (args.json_output) std::cout << info_to_json(*created).dump(2) << "\n";
  else std::cout << created->id.str() << "\n";
  return 0;
}

int list(const Config& config, const CredentialArgs& args) {
  auto app = App::open(config);
  if (!app.ok()) return report(app.error());
  auto org = args.org.empty() ? Result<OrgId>((*app)->org.id) : resolve_org(**app, args.org);
  if (!org.ok()) return report(org.error());
  auto all = (*app)->vault->list(*org);
  if (!all.ok()) return report(all.error());
  if (args.json_output) {
    json out = json::array();
    for (const auto& c : *all) out.push_back(info_to_json(c));
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  for (const auto& c : *all) {
    std::cout << c.id.str() << "  " << c.provider << "  " << vault::to_string(c.type) << "  " << c.name << "\n";
  }
  if (all->empty()) std::cout << "(no credentials)\n";
  return 0;
}

int remove(const Config& config, const CredentialArgs& args) {
  auto app = App::open(config);
  if (!app.ok()) return report(app.error());
  auto org = args.org.empty() ? Result<OrgId>((*app)->org.id) : resolve_org(**app, args.org);
  if (!org.ok()) return report(org.error());
  auto removed = (*app)->vault->remove(*org, CredentialId(args.id));
  if (!removed.ok()) return report(removed.error());
  std::cout << "deleted " << args.id << "\n";
  return 0;
}

}  // namespace

void add_credential_commands(CLI::App& app, Config& config, CommandAction& action) {
  auto* credential = app.add_subcommand("credential", "Manage credentials (stored encrypted)");
  credential->require_subcommand(1);
  auto args = std::make_shared<CredentialArgs>();

  auto* add_cmd = credential->add_subcommand("add", "Store a credential; prints its id");
  add_cmd->add_option("--name", args->name, "Display name")->required();
  add_cmd->add_option("--provider", args->provider, "Provider id, e.g. slack")->required();
  add_cmd->add_option("--type", args->type, "api_key | bearer_token | oauth2 | bot_token | none")->required();
  add_cmd->add_option("--secret", args->secret, "Secret JSON, e.g. '{\"access_token\":\"…\"}'");
  add_cmd->add_option("--secret-file", args->secret_file, "Read the secret JSON from a file");
  add_cmd->add_flag("--secret-stdin", args->secret_stdin, "Read the secret JSON from standard input");
  add_cmd->add_flag("--json", args->json_output, "Print the stored metadata as JSON");
  add_cmd->add_option("--org", args->org, "Organization (name or id); default: the default organization");
  add_cmd->callback([&, args] { action = [&, args] { return add(config, *args); }; });

  auto* list_cmd = credential->add_subcommand("list", "List credentials (metadata only)");
  list_cmd->add_flag("--json", args->json_output, "Print as JSON");
  list_cmd->add_option("--org", args->org, "Organization (name or id); default: the default organization");
  list_cmd->callback([&, args] { action = [&, args] { return list(config, *args); }; });

  auto* delete_cmd = credential->add_subcommand("delete", "Delete a credential");
  delete_cmd->add_option("ID", args->id, "Credential id")->required();
  delete_cmd->add_option("--org", args->org, "Organization (name or id); default: the default organization");
  delete_cmd->callback([&, args] { action = [&, args] { return remove(config, *args); }; });
}

}  // namespace weft::cli
