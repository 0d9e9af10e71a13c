#include <iostream>

#include "api/api.h"
#include "api/field_routes.h"
#include "api/responses.h"
#include "auth/audit_log.h"
#include "cli/commands.h"
#include "demo/demo.h"
#include "http/listen_probe.h"
#include "http/server.h"
#include "pages/pages.h"
#include "registry/clock.h"
#include "sms/conversation.h"
#include "sms/gateway_routes.h"
#include "verify/service.h"
#include "web/shell.h"

namespace harvest::cli {
namespace {

http::ServerOptions ListenOptions(const config::Config& config) {
  http::ServerOptions options;
  size_t colon = config.listen.rfind(':');
  if (colon == std::string::npos) {
    throw CommandError("listen address must be HOST:PORT, not '" + config.listen + "'");
  }
  options.host = config.listen.substr(0, colon);
  int port = 0;
  try {
    port = std::stoi(config.listen.substr(colon + 1));
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) {
    throw CommandError("listen port must be 0-65535, not '" + config.listen.substr(colon + 1) +
                       "'");
  }
  options.port = static_cast<uint16_t>(port);
  options.threads = config.threads;
  options.max_connections = config.limits.connections;
  options.max_connections_per_ip = config.limits.connections_per_ip;
  options.shutdown_grace_ms = config.limits.shutdown_grace_ms;
  return options;
}

// What a newcomer needs to try the server.
void PrintWelcome(store::Store& store, const config::Config& config, const std::string& base,
                  const std::optional<DemoGateways>& demo) {
  std::cout << "\nHarvest is serving on " << base << "\n"
            << "  API reference:   " << base << "/docs\n"
            << "  Datasets:        " << base << "/api/v1\n"
            << "  OpenAPI:         " << base << "/openapi.json\n"
            << "  Receipt check:   " << base << "/verify (staff logins: harvest user add)\n";
  if (demo) {
    PrintDemoWelcome(store, config, base, *demo);
  }
  std::cout << "\nStop with Ctrl-C.\n" << std::endl;
}

// Holds `answer` back until the log records its request queued are committed (the server
// waits without holding its thread); a failed commit answers 503 instead.
void AnswerAfterCommit(http::Response& answer, store::LogWriter& log) {
  uint64_t ticket = log.TakePending();
  if (ticket == 0) {
    return;
  }
  answer.after_commit = [&log, ticket](http::Response::Resume resume) {
    log.WhenCommitted(ticket, [resume = std::move(resume)](const store::Unavailable* failure) {
      if (failure) {
        resume(api::ErrorResponse(api::UnavailableError(*failure)));
      } else {
        resume(std::nullopt);
      }
    });
  };
}

}  // namespace

void RegisterServe(CLI::App& app, Globals& globals) {
  auto* cmd = app.add_subcommand("serve", "serve the API, web pages and SMS webhooks");
  auto listen = std::make_shared<std::string>();
  auto demo = std::make_shared<bool>(false);
  auto quiet = std::make_shared<bool>(false);
  cmd->add_option("--listen", *listen, "HOST:PORT (env HARVEST_LISTEN; default 127.0.0.1:8080)");
  auto farmers = std::make_shared<int64_t>(170000);
  CLI::Option* demo_flag = cmd->add_flag(
      "--demo", *demo,
      "fill an empty database with demo data first, and turn the SMS webhooks on with "
      "demo secrets where none is configured");
  cmd->add_option("--farmers", *farmers, "with --demo: farmers in new demo data (default 170000)")
      ->check(CLI::Range(int64_t{2}, int64_t{5000000}))
      ->needs(demo_flag);
  cmd->add_flag("--quiet", *quiet, "print only the listening line");
  cmd->callback([&globals, listen, demo, quiet, farmers] {
    config::Config config = globals.LoadConfig();
    if (!listen->empty()) {
      config.listen = *listen;
    }
    http::ServerOptions options = ListenOptions(config);
    std::optional<DemoGateways> demo_gateways;
    if (*demo) {
      // Before minutes of demo data, not after.
      if (std::string problem = http::ListenProblem(options.host, options.port); !problem.empty()) {
        throw CommandError(problem + "; choose another port with --listen " + options.host + ":" +
                           std::to_string(options.port == 65535 ? 8081 : options.port + 1));
      }
      demo_gateways = EnableDemoGateways(config);
    }
    auto store = globals.OpenStore(config);
    if (*demo) {
      if (!LoadDemoIfEmpty(*store, *farmers, 2014)) {
        std::cerr << "harvest: serving the data already in " << config.db
                  << " (demo data is made only in an empty database)\n";
      }
      EnsureDemoKeys(*store);
    }
    // Build the published aggregates now rather than on the first visitor's request.
    store->Count(*registry::FindDataset("production"), {});
    store->StartServing();
    store->SetWriteWait(std::chrono::milliseconds(config.limits.write_wait_ms));
    // Group commit of audit entries, checks and SMS replies: an answer leaves once the
    // records it implies are committed (see AnswerAfterCommit).
    store::LogWriter log(*store);
    auth::AuditLog audit(log);
    api::DocsExamples docs_examples;
    if (*demo) {
      // The demo is made from today's date, so /docs's numbers come from its data.
      if (auto samples = harvest::demo::FindTrySamples(*store, registry::TodayIso())) {
        docs_examples = {samples->check_receipt, samples->sell_receipt, samples->book_serial,
                         samples->commodity};
      }
    }
    web::Shell shell(web::Context{*store,
                                  config,
                                  audit,
                                  {config.default_area_code, config.books.max_receipts},
                                  docs_examples});
    verify::VerificationService verification(*store, config, registry::NowUnix, log);
    services::RegistryService records(*store, shell.context().validation, audit, verification);
    sms::Conversation conversation(*store, config, audit, verification, records);
    auth::Sessions sessions(*store, config.web, registry::NowUnix);
    shell.UseSessions(sessions);
    shell.AddGroup(api::MetaRoutes(shell.context(), shell.metrics()));
    shell.AddGroup(api::FieldRoutes(shell.context(), verification, records));
    shell.AddGroup(sms::GatewayRoutes(shell.context(), conversation));
    shell.AddGroup(api::DatasetRoutes(shell.context(), records));
    shell.AddGroup(pages::PageRoutes(shell.context(), sessions, verification, records));
    http::Serve(
        options,
        [&shell, &log](http::Request& r) {
          http::Response answer = shell.Handle(r);
          AnswerAfterCommit(answer, log);
          return answer;
        },
        [&](uint16_t port) {
          std::string base = "http://" + options.host + ":" + std::to_string(port);
          if (config.public_url.empty()) {
            config.public_url = base;
          }
          std::cout << "Harvest listening on " << base << std::endl;
          if (!*quiet) {
            PrintWelcome(*store, config, base, demo_gateways);
          }
        });
    std::cerr << "harvest: stopped\n";
  });
}

}  // namespace harvest::cli
