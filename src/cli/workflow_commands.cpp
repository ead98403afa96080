#include <iostream>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/run_printer.h"
#include "engine/executor.h"
#include "engine/worker_pool.h"
#include "engine/workflow_service.h"

namespace weft::cli {

namespace {

struct WorkflowArgs {
  std::string file;
  std::string input = "{}";
  std::string credentials_file;
  bool json_output = false;
};

Result<json> read_workflow(const std::string& path) {
  WEFT_TRY_ASSIGN(auto text, read_text_file(path));
  auto doc = parse_json(text);
  if (!doc.ok()) return Error::make("invalid_json", path + ": " + doc.error().message);
  return doc;
}

// The overlay of --credentials FILE (in memory only) over the vault.
Result<std::unique_ptr<engine::MemoryCredentialSource>> credentials_for(App& app, const WorkflowArgs& args) {
  auto source = std::make_unique<engine::MemoryCredentialSource>(app.credentials.get());
  if (!args.credentials_file.empty()) WEFT_TRY(source->load_file(args.credentials_file));
  return source;
}

int validate(const Config& config, const WorkflowArgs& args) {
  auto app = App::open(config);
  if (!app.ok()) return report(app.error());
  auto doc = read_workflow(args.file);
  if (!doc.ok()) return report(doc.error());
  auto creds = credentials_for(**app, args);
  if (!creds.ok()) return report(creds.error());
  auto valid = engine::validate_workflow(*doc, (*app)->catalog, creds->get(), (*app)->org.id);
  if (!valid.ok()) return report(valid.error());
  std::cout << "ok: " << args.file << " is a valid workflow (" << (*doc)["steps"].size() << " steps)\n";
  return 0;
}

// Saves the document as the latest version of the workflow with its name (a new version only
// when the definition changed), so every run points at the exact version it ran.
Result<store::WorkflowRecord> save_for_run(App& app, engine::CredentialSource& creds, const json& doc) {
  WEFT_TRY(engine::validate_workflow(doc, app.catalog, &creds, app.org.id));
  const std::string name = doc["name"].get<std::string>();
  WEFT_TRY_ASSIGN(auto existing, app.store->workflows().find_by_name(app.org.id, name));
  if (existing && existing->definition == doc) return *existing;
  return engine::save_workflow(*app.store, app.catalog, &creds, app.org.id, doc,
                               existing ? std::optional<WorkflowId>(existing->id) : std::nullopt);
}

int run(const Config& config, const WorkflowArgs& args) {
  auto opened = App::open(config);
  if (!opened.ok()) return report(opened.error());
  App& app = **opened;
  auto doc = read_workflow(args.file);
  if (!doc.ok()) return report(doc.error());
  auto input = parse_json(args.input);
  if (!input.ok() || !input->is_object()) {
    return report(Error::make("invalid_input", "--input must be a JSON object"));
  }
  auto creds = credentials_for(app, args);
  if (!creds.ok()) return report(creds.error());
  auto workflow = save_for_run(app, **creds, *doc);
  if (!workflow.ok()) return report(workflow.error());

  engine::ExecutorOptions exec_options;
  exec_options.limits.max_timeout_ms = config.max_step_timeout_ms;
  exec_options.limits.default_timeout_ms = config.max_step_timeout_ms;
  engine::Executor executor(*app.store, app.catalog, **creds, exec_options);
  engine::WorkerOptions worker_options;
  worker_options.threads = 0;  // no claiming: this process runs only its own run
  worker_options.lease_ms = config.lease_ms;
  engine::WorkerPool pool(*app.store, executor, worker_options);

  auto run = engine::enqueue_run(*app.store, *workflow, *input);
  if (!run.ok()) return report(run.error());
  auto job = app.store->jobs().claim_run(run->id, pool.owner(), SystemClock::instance().now_ms(), config.lease_ms);
  if (!job.ok()) return report(job.error());
  if (!job->has_value()) {
    return report(Error::make("run_taken", "another worker claimed run " + run->id.str() + " first"));
  }
  if (!args.json_output) {
    std::cout << "running " << workflow->name << " (" << workflow->id.str() << " v" << workflow->version
              << ") as " << run->id.str() << "\n";
  }
  RunPrinter printer(std::cout, args.json_output);
  pool.start();
  auto outcome = pool.run_job(**job, &printer);
  pool.stop();
  if (!outcome.ok()) return report(outcome.error());

  auto final_run = app.store->runs().get(app.org.id, run->id);
  if (!final_run.ok()) return report(final_run.error());
  if (args.json_output) {
    auto steps = app.store->runs().steps(app.org.id, run->id);
    if (!steps.ok()) return report(steps.error());
    std::cout << engine::run_to_json(*final_run, *steps).dump(2) << "\n";
  } else if (final_run->status == store::RunStatus::failed) {
    std::cout << "error: " << final_run->error.value("message", "run failed") << "\n";
  }
  return final_run->status == store::RunStatus::succeeded ? 0 : 1;
}

}  // namespace

void add_workflow_commands(CLI::App& app, Config& config, CommandAction& action) {
  auto* workflow = app.add_subcommand("workflow", "Validate and run workflows");
  workflow->require_subcommand(1);
  auto args = std::make_shared<WorkflowArgs>();

  auto* validate_cmd = workflow->add_subcommand("validate", "Check a workflow file against the catalog");
  validate_cmd->add_option("FILE", args->file, "Workflow JSON file")->required();
  validate_cmd->add_option("--credentials", args->credentials_file, "Credentials JSON file (kept in memory)");
  validate_cmd->callback([&, args] { action = [&, args] { return validate(config, *args); }; });

  auto* run_cmd = workflow->add_subcommand("run", "Run a workflow file now, in this process");
  run_cmd->add_option("FILE", args->file, "Workflow JSON file")->required();
  run_cmd->add_option("--input", args->input, "Trigger payload as a JSON object ({{trigger.*}})");
  run_cmd->add_option("--credentials", args->credentials_file, "Credentials JSON file (kept in memory)");
  run_cmd->add_flag("--json", args->json_output, "Print the whole run as JSON at the end");
  run_cmd->callback([&, args] { action = [&, args] { return run(config, *args); }; });
}

}  // namespace weft::cli
