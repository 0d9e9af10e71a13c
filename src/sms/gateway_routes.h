// The SMS gateway webhooks of SPEC §6: POST /sms/twilio (signed form posts, TwiML answers) and
// GET|POST /sms/kannel (shared secret, text/plain answers). They authenticate the gateway, turn
// its request into an IncomingSms and wrap the Conversation's reply; a gateway whose secret is
// not configured answers 404. Must not know about commands, the registry or SQL.
#pragma once

#include "sms/conversation.h"
#include "web/route_group.h"

namespace harvest::sms {

web::RouteGroup GatewayRoutes(web::Context& context, Conversation& conversation);

}  // namespace harvest::sms
