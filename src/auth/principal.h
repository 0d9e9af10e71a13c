// Who is asking: the role that decides what they see, and how they are named in the
// audit log. Built by the HTTP layer from an API key, by the SMS layer from a phone, by the
// web shell from a session cookie, and by the CLI for local administration.
#pragma once

#include <cstdint>
#include <string>

#include "registry/schema.h"

namespace harvest::auth {

struct Principal {
  registry::Role role = registry::kPublic;
  int64_t key_id = 0;               // API key, when one was used
  int64_t officer_id = 0;           // officer, when checking by SMS
  std::string actor = "anonymous";  // key:12, officer:3, +1876..., cli
  std::string channel = "api";      // api, sms, web, cli
  // A web session, when one was used: the hash of its cookie's token, and the token its
  // POST forms must carry.
  std::string session;
  std::string csrf;
};

}  // namespace harvest::auth
