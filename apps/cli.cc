#include "apps/cli.h"

#include <gflags/gflags.h>

#include <algorithm>
#include <iostream>
#include <set>
#include <string>

#include "model/error.h"

namespace resihmr::apps {
namespace {

// gflags wants underscores; accept the documented dashed spellings too.
std::string NormaliseFlag(const std::string& arg) {
  if (arg.rfind("--", 0) != 0) return arg;
  const size_t eq = arg.find('=');
  std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
  std::replace(name.begin(), name.end(), '-', '_');
  return "--" + name + (eq == std::string::npos ? "" : arg.substr(eq));
}

}  // namespace

void PrintOverview(const std::vector<Command>& commands, std::ostream& out) {
  out << "resihmr: 3D human meshes of people with limb loss from a single image\n\n"
         "usage: resihmr <command> [--flags]     (resihmr <command> --help for its flags)\n\ncommands:\n";
  for (const Command& c : commands) {
    out << "  " << c.name << std::string(14 - std::min<size_t>(13, c.name.size()), ' ') << c.summary << "\n";
  }
}

int RunCommandLine(const std::vector<Command>& commands, int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h" || std::string(argv[1]) == "help") {
    PrintOverview(commands, std::cout);
    return argc < 2 ? 2 : 0;
  }
  const std::string name = argv[1];
  auto it = std::find_if(commands.begin(), commands.end(), [&](const Command& c) { return c.name == name; });
  if (it == commands.end()) {
    std::cerr << "resihmr: unknown command '" << name << "'\n\n";
    PrintOverview(commands, std::cerr);
    return 2;
  }
  std::vector<std::string> args = {std::string("resihmr ") + name};
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << it->usage;
      return 0;
    }
    args.push_back(NormaliseFlag(arg));
  }
  // Reject flags that exist for another command before gflags sees them.
  std::set<std::string> allowed(it->flags.begin(), it->flags.end());
  std::vector<std::string> positional;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i].rfind("--", 0) != 0) {
      if (it->run_with_args) {
        positional.push_back(args[i]);
        args.erase(args.begin() + static_cast<long>(i--));
        continue;
      }
      std::cerr << "resihmr " << name << ": unexpected argument '" << args[i] << "'\n\n" << it->usage;
      return 2;
    }
    const bool has_value = args[i].find('=') != std::string::npos;
    std::string flag = args[i].substr(2, args[i].find('=') - 2);
    if (flag.rfind("no", 0) == 0 && !allowed.count(flag)) flag = flag.substr(2);
    if (!allowed.count(flag)) {
      std::cerr << "resihmr " << name << ": unknown flag '--" << flag << "'\n\n" << it->usage;
      return 2;
    }
    gflags::CommandLineFlagInfo info;
    const bool is_bool = gflags::GetCommandLineFlagInfo(flag.c_str(), &info) && info.type == "bool";
    if (!has_value && !is_bool && i + 1 < args.size()) ++i;  // "--flag value"
  }
  std::vector<char*> raw;
  for (std::string& a : args) raw.push_back(a.data());
  int raw_argc = static_cast<int>(raw.size());
  char** raw_argv = raw.data();
  gflags::SetUsageMessage(it->usage);
  gflags::ParseCommandLineNonHelpFlags(&raw_argc, &raw_argv, true);
  try {
    return it->run_with_args ? it->run_with_args(positional) : it->run();
  } catch (const resihmr::Error& e) {
    std::cerr << "resihmr " << name << ": error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "resihmr " << name << ": error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace resihmr::apps
