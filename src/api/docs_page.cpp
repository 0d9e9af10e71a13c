// GET /docs: the API reference as one self-contained HTML page. Dataset sections are generated
// from the dataset descriptions; the prose around them follows SPEC §3-§6. No scripts and no
// external stylesheets or fonts: the page must work on an offline server and a cheap phone.
#include <string>

#include "api/catalog.h"
#include "pages/html.h"
#include "verify/verdict.h"

namespace harvest::api {
namespace {

using pages::Escape;  // the one escape helper of every HTML the server writes

using registry::DatasetDef;
using registry::FieldDef;

constexpr std::string_view kBase = "http://127.0.0.1:8080";

constexpr std::string_view kHead = R"html(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Harvest API reference</title>
<style>
:root { color-scheme: light dark; --fg: #1d2420; --bg: #fdfdfb; --muted: #5b665f;
  --line: #d5dbd6; --accent: #2f6b3a; --code: #eef2ee; }
@media (prefers-color-scheme: dark) { :root { --fg: #e4e9e5; --bg: #151a17; --muted: #a3ada6;
  --line: #36403a; --accent: #8fcf99; --code: #222a25; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 60rem; padding: 1rem; color: var(--fg); background: var(--bg);
  font: 1rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 1.7rem; margin-top: .5rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid
  var(--line); padding-bottom: .2rem; } h3 { margin-top: 1.8rem; }
a { color: var(--accent); }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: .9em; background: var(--code); border-radius: 4px; }
code { padding: 0 .25em; overflow-wrap: anywhere; }
pre { padding: .7rem; overflow-x: auto; white-space: pre; }
pre code { padding: 0; background: none; }
.table { overflow-x: auto; margin: .8rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .93rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem;
  border-bottom: 1px solid var(--line); }
th { background: var(--code); }
nav ol { columns: 2 12rem; padding-left: 1.2rem; }
.muted, .note { color: var(--muted); font-size: .9rem; }
.tag { display: inline-block; font-size: .75rem; padding: 0 .35em; margin-left: .25em;
  border: 1px solid var(--line); border-radius: 3px; color: var(--muted); white-space: nowrap; }
</style>
</head>
<body>
<h1>Harvest API reference</h1>
<p>Harvest is Jamaica's open agricultural registry, open-data API and receipt verification
service against praedial larceny. This page describes the HTTP API at <code>/api/v1</code>,
the field operations police and extension officers use, and the SMS gateways. The same
information is available to programs as the <a href="/api/v1">catalog</a> and as an
<a href="/openapi.json">OpenAPI 3.1 document</a>. Open data is published under
<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>.</p>
<nav><ol>
<li><a href="#start">Quick start</a></li>
<li><a href="#auth">Authentication and roles</a></li>
<li><a href="#query">Query language</a></li>
<li><a href="#formats">Formats and caching</a></li>
<li><a href="#datasets">Datasets</a></li>
<li><a href="#writing">Writing records</a></li>
<li><a href="#operations">Field operations</a></li>
<li><a href="#sms">SMS gateways</a></li>
<li><a href="#errors">Errors</a></li>
<li><a href="#meta">Service endpoints</a></li>
</ol></nav>
)html";

constexpr std::string_view kAuth = R"html(
<h2 id="auth">Authentication and roles</h2>
<p>Public data needs no credentials. Everything else needs an API key in the
<code>Authorization</code> header (web users are recognised by their session cookie instead):</p>
<pre><code>Authorization: Bearer KEY</code></pre>
<p>An administrator creates keys with <code>harvest key create --role ROLE --name NAME</code>; the
key is shown once and stored only hashed. A missing, unknown or revoked key where one is needed
gets <code>401</code> with a <code>WWW-Authenticate: Bearer</code> header; a key whose role may not
do something gets <code>403</code>. Fields a role may not see are simply absent from its answers,
and cannot be used in filters or sorts.</p>
<div class="table"><table>
<tr><th>role</th><th>how</th><th>sees / does</th></tr>
<tr><td><code>public</code></td><td>nothing</td><td>prices, production, farmer-stats, parishes,
commodities, metadata; SMS <code>P</code></td></tr>
<tr><td><code>partner</code></td><td>API key</td><td>public + farms, crops, livestock with no
personal fields and farm coordinates rounded to 0.1&deg;; each farm's id is an opaque token of
32 hex digits (the same in farms, crops and livestock), and farms come in the order of these
ids</td></tr>
<tr><td><code>police</code></td><td>API key, or an active officer's phone</td><td>receipt
verification; farmer lookup limited to id, names, alias, parish, verified, card_expires_on,
status, under_investigation</td></tr>
<tr><td><code>extension</code></td><td>API key or web login</td><td>read and write farmers, farms,
crops, livestock, books, sales</td></tr>
<tr><td><code>admin</code></td><td>API key or web login</td><td>everything, plus keys, users,
officers, verifications, audit log</td></tr>
</table></div>
<ul>
<li><code>trn</code> and <code>date_of_birth</code> leave the server only for admins.</li>
<li>Every read of personal data and every write is recorded in the append-only audit log (who,
what, when, channel).</li>
<li>Aggregate cells (production, farmer-stats) counting fewer than 5 farmers are published with
<code>"suppressed": true</code> and null figures.</li>
</ul>
)html";

constexpr std::string_view kQuery = R"html(
<h2 id="query">Query language</h2>
<p>Every collection, <code>GET /api/v1/{dataset}</code>, takes the same parameters:</p>
<div class="table"><table>
<tr><th>parameter</th><th>meaning</th></tr>
<tr><td><code>field=value</code></td><td>rows whose field equals the value</td></tr>
<tr><td><code>field__OP=value</code></td><td>rows matching an operator, below</td></tr>
<tr><td><code>sort=a,-b</code></td><td>order by a, then b descending (<code>-</code>); the key
breaks ties (for partners, the farm's opaque id). Default: by key.</td></tr>
<tr><td><code>fields=a,b</code></td><td>return only these fields</td></tr>
<tr><td><code>limit=N</code></td><td>rows per page, 1 to 1000; JSON pages default to 100.
A <code>.csv</code> or <code>.geojson</code> request without <code>limit</code> (or with
<code>limit=all</code>) streams every matching row: a download is the whole selection.</td></tr>
<tr><td><code>cursor=&hellip;</code></td><td>opaque position; take it from <code>next</code></td></tr>
<tr><td><code>count=true</code></td><td>adds <code>total</code>, the rows matching the filters
(CSV: the <code>X-Total-Count</code> header)</td></tr>
</table></div>
<p>Limits: at most 5 sort keys, 20 filters and 100 <code>in</code> values; a value of at most
2,000 bytes; each parameter once. Parameters that browsers and link trackers add
(<code>utm_*</code>, <code>fbclid</code>, <code>gclid</code>, <code>_</code>) are ignored; any other
unknown parameter is a 400 that names it. A query running past the server's time budget
is stopped and answered 503 with <code>Retry-After</code>.</p>
<p>Pages of the registry datasets (farmers, farms, crops, livestock, prices, books, sales) are
read straight from an index, so they answer as fast at a million rows as at a thousand. A page
takes equality filters of one of the dataset's indexed shapes (for example
<code>farmers?parish=AND</code>, <code>farmers?parish=AND&amp;sort=last_name</code>,
<code>prices?commodity=ackee&amp;parish=KIN&amp;sort=-week_of</code>), sort keys all in one
direction, and a range (<code>__gt</code>, <code>__lte</code>...) on the first sort field or the
key; any other filter or sort is a 400 that names it and lists the shapes. A <code>.csv</code> or
<code>.geojson</code> download takes every filter. Aggregates, reference lists and logs take
any query.</p>
<div class="table"><table>
<tr><th>operator</th><th>meaning</th><th>example</th></tr>
<tr><td><code>ne</code></td><td>not equal</td><td><code>status__ne=active</code></td></tr>
<tr><td><code>gt</code> <code>gte</code></td><td>greater than (or equal)</td>
<td><code>price__gte=250</code></td></tr>
<tr><td><code>lt</code> <code>lte</code></td><td>less than (or equal)</td>
<td><code>week_of__lt=2026-11-02</code></td></tr>
<tr><td><code>in</code></td><td>one of a comma list</td><td><code>parish__in=ELZ,MAN</code></td></tr>
<tr><td><code>contains</code></td><td>text contains</td>
<td><code>market__contains=coronation</code></td></tr>
<tr><td><code>startswith</code></td><td>text starts with</td>
<td><code>commodity__startswith=sweet</code></td></tr>
<tr><td><code>isnull</code></td><td>has no value (<code>true</code>) or has one
(<code>false</code>)</td><td><code>lat__isnull=false</code></td></tr>
</table></div>
<p>Values are read like input: parishes by code or name (<code>parish=St.%20Elizabeth</code>),
booleans as <code>true/false</code>, <code>yes/no</code> or <code>1/0</code>, dates as
<code>YYYY-MM-DD</code>. A field named like a parameter above (livestock <code>count</code>) is
filtered with an operator only: <code>count__gte=10</code>. An unknown field or operator, or a bad
value, gets <code>400</code> naming the parameter. Partners cannot filter or sort on the rounded
farm coordinates.</p>
<p>A page answers <code>{"data": [...], "next": "/api/v1/...&amp;cursor=..." | null}</code>;
follow <code>next</code> until it is null. The cursor stays valid while the query is the same.</p>
<h2 id="formats">Formats and caching</h2>
<ul>
<li>JSON (default): <code>/api/v1/prices</code> or <code>/api/v1/prices.json</code>.</li>
<li>CSV (RFC 4180, header row, same column names): <code>/api/v1/prices.csv</code>; the next page
is in the <code>Link: &lt;...&gt;; rel="next"</code> header.</li>
<li>GeoJSON, for rows with a place (farms, parishes): <code>/api/v1/farms.geojson</code>, a
FeatureCollection with <code>next</code>.</li>
<li>Without a suffix, the <code>Accept</code> header chooses: <code>text/csv</code>,
<code>application/geo+json</code> or JSON; anything else gets <code>406</code>.</li>
<li>Dates are ISO 8601, timestamps RFC 3339 UTC, phones E.164, money in JMD with 2 decimals.
Parish fields hold the code; JSON adds <code>&lt;field&gt;_name</code>.</li>
<li>GET answers carry an <code>ETag</code>; send it back in <code>If-None-Match</code> to get
<code>304 Not Modified</code>. Public data is <code>Cache-Control: public</code> with
<code>Access-Control-Allow-Origin: *</code>; personal data is
<code>Cache-Control: private, no-store</code> without CORS.</li>
</ul>
)html";

constexpr std::string_view kWriting = R"html(
<h2 id="writing">Writing records</h2>
<p>Extension officers and admins write with <code>POST /api/v1/{dataset}</code> (one JSON object,
or an array of up to 1000 applied all-or-nothing) and <code>PATCH /api/v1/{dataset}/{key}</code>
(the fields to change). Send <code>Content-Type: application/json</code> (else <code>415</code>),
at most 1 MiB (else <code>413</code>). A new record answers <code>201</code> with the stored record
and a <code>Location</code> header, an array <code>201</code> with <code>{"data": [...]}</code>; a
change answers <code>200</code> with the record. Validation problems answer <code>422</code>
listing each <code>{field, message}</code> (in arrays the field is <code>[3].parish</code>);
conflicts with stored data, such as overlapping receipt books or a receipt used twice, answer
<code>409</code>. Input is lenient where real extracts are: parishes by name in any common
spelling, phones in local form (<code>876-555-0123</code>), booleans as yes/no.</p>
<pre><code>curl -X POST -H 'Authorization: Bearer KEY' -H 'Content-Type: application/json' \
  -d '{"farmer_id": "580537965", "parish": "St. Andrew", "size_ha": 1.5}' \
  http://127.0.0.1:8080/api/v1/farms
curl -X PATCH -H 'Authorization: Bearer KEY' -H 'Content-Type: application/json' \
  -d '{"phone": "876-555-0123", "verified": true}' \
  http://127.0.0.1:8080/api/v1/farmers/580537965</code></pre>
)html";

constexpr std::string_view kSms = R"html(
<h2 id="sms">SMS gateways</h2>
<p>Officers and farmers use Harvest from any phone by SMS. Two gateways feed the same commands;
each is off (<code>404</code>) until its secret is configured. A message delivered twice (same
gateway message id) is answered the same and acted on once.</p>
<h3>Twilio: <code>POST /sms/twilio</code></h3>
<p>Point the number's incoming-message webhook at <code>HARVEST_PUBLIC_URL</code> +
<code>/sms/twilio</code> and set <code>HARVEST_TWILIO_AUTH_TOKEN</code>. Twilio posts its form fields
(<code>From</code>, <code>To</code>, <code>Body</code>, <code>MessageSid</code>, ...); the
<code>X-Twilio-Signature</code> header must match (HMAC-SHA1 over the public URL and the sorted
parameters), otherwise the answer is <code>403</code> and nothing is processed. The reply is TwiML,
<code>text/xml</code>: <code>&lt;Response&gt;&lt;Message&gt;TEXT&lt;/Message&gt;&lt;/Response&gt;</code>.</p>
<h3>Kannel: <code>GET</code> or <code>POST /sms/kannel</code></h3>
<p>For an open-source Kannel gateway bound to a telco's SMSC. Set
<code>HARVEST_KANNEL_SECRET</code> and configure the sms-service with the parameters
<code>from</code> (%p), <code>to</code> (%P), <code>text</code> (%a), <code>id</code> (%I) and the
secret as <code>key</code>; a missing or wrong key gets <code>403</code>. The
<code>text/plain</code> answer is the reply Kannel sends back.</p>
<pre><code>group = sms-service
keyword = default
get-url = "http://127.0.0.1:8080/sms/kannel?from=%p&amp;to=%P&amp;text=%a&amp;id=%I&amp;key=SECRET"
max-messages = 3</code></pre>
<h3>Commands</h3>
<p>The first word picks the command, in any case; extra spaces and <code>#</code>, <code>-</code>,
<code>.</code> inside numbers are fine.</p>
<div class="table"><table>
<tr><th>command</th><th>who</th><th>does</th></tr>
<tr><td><code>R &lt;receipt&gt; [&lt;qty&gt;&lt;unit&gt;] [&lt;commodity&gt;]</code> (also RECEIPT,
CHECK)</td><td>active officer</td><td>verify a receipt, optionally against the load:
<code>R 4512 200kg yam</code></td></tr>
<tr><td><code>F &lt;farmer id&gt;</code> (also FARMER)</td><td>active officer</td><td>farmer
identity and status</td></tr>
<tr><td><code>S &lt;receipt&gt; &lt;qty&gt;&lt;unit&gt; &lt;commodity&gt; [buyer phone]</code> (also
SELL)</td><td>farmer, from his registered phone</td><td>record a digital receipt on his own
book</td></tr>
<tr><td><code>LOST &lt;receipt or book serial&gt;</code> (also STOLEN)</td><td>the book's
farmer</td><td>report the book; its unused receipts then verify ALERT</td></tr>
<tr><td><code>P &lt;commodity&gt; [parish]</code> (also PRICE)</td><td>anyone</td><td>latest weekly
prices</td></tr>
<tr><td><code>HELP</code> (also <code>?</code>)</td><td>anyone</td><td>the commands this sender may
use</td></tr>
</table></div>
<p>A verification reply starts with the verdict word and the receipt number
(<code>ALERT 4512: book 000045 reported STOLEN ...</code>); refusals start with <code>ERROR</code>,
farmer lookups with <code>FARMER</code>. Replies to R, F, S, LOST and HELP fit one SMS (160 GSM-7
characters). An unregistered or blocked number asking R or F learns nothing. Senders are rate
limited (officers 60 checks an hour, others 20 messages an hour by default).</p>
)html";

constexpr std::string_view kMeta = R"html(
<h2 id="meta">Service endpoints</h2>
<div class="table"><table>
<tr><th>path</th><th>answers</th></tr>
<tr><td><code>GET /api/v1</code></td><td>the catalog: datasets, their fields with type, description
and who sees them, license, operations</td></tr>
<tr><td><code>GET /openapi.json</code></td><td>this reference as OpenAPI 3.1</td></tr>
<tr><td><code>GET /docs</code></td><td>this page</td></tr>
<tr><td><code>GET /healthz</code></td><td><code>{"status":"ok"}</code> when the server and its
database answer</td></tr>
<tr><td><code>GET /metrics</code></td><td>request counters and latencies, Prometheus text
format</td></tr>
</table></div>
<p class="note">Generated from the server's own dataset descriptions.</p>
</body>
</html>
)html";

void AppendQuickStart(std::string& out, const DocsExamples& examples) {
  std::string base(kBase);
  out +=
      "<h2 id=\"start\">Quick start</h2>\n<p>Examples against a local demo server "
      "(<code>harvest serve --demo</code>, or <code>make demo</code>): the farmer, receipt and "
      "book numbers on this page are in its data. Replace <code>KEY</code> with an API key that "
      "may do it; a demo server has <code>hv_demo_partner</code>, <code>hv_demo_police</code>, "
      "<code>hv_demo_extension</code> and <code>hv_demo_admin</code>.</p>\n<pre><code>";
  std::string commodity = examples.commodity;
  for (size_t at = commodity.find(' '); at != std::string::npos; at = commodity.find(' ')) {
    commodity.replace(at, 1, "%20");
  }
  std::string verify = "curl -H 'Authorization: Bearer KEY' 'BASE/api/v1/verify/receipt/" +
                       std::to_string(examples.check_receipt) + "?commodity=" + commodity +
                       "&quantity=200&unit=kg'\n";
  for (const std::string_view line : std::initializer_list<std::string_view>{
           "# what is published, and who may read it\n",
           "curl BASE/api/v1\n",
           "# the five latest farmgate prices of yellow yam in Manchester\n",
           "curl 'BASE/api/v1/prices?commodity=yellow%20yam&parish=MAN&price_point=farmgate"
           "&sort=-week_of&limit=5'\n",
           "# every price as one CSV file\n",
           "curl -o prices.csv 'BASE/api/v1/prices.csv?limit=all'\n",
           "# farms in Manchester as GeoJSON, with the number of matches\n",
           "curl -H 'Authorization: Bearer KEY' "
           "'BASE/api/v1/farms.geojson?parish=MAN&count=true'\n",
           "# check a receipt against what is on the truck\n",
           verify,
       }) {
    std::string text(line);
    for (size_t at = text.find("BASE"); at != std::string::npos; at = text.find("BASE", at)) {
      text.replace(at, 4, base);
    }
    out += Escape(text);
  }
  out += "</code></pre>\n";
}

std::string FieldType(const FieldDef& field) {
  std::string type(registry::FieldTypeName(field.type));
  if (!field.choices.empty()) {
    type += ": ";
    for (size_t i = 0; i < field.choices.size(); ++i) {
      type += (i ? ", " : "") + field.choices[i];
    }
  }
  return type;
}

std::string FieldNotes(const DatasetDef& set, const FieldDef& field) {
  std::string notes;
  auto tag = [&notes](std::string_view text) {
    notes += "<span class=\"tag\">" + Escape(text) + "</span>";
  };
  if (field.name == set.key) {
    tag("key");
  }
  if (field.required) {
    tag("required");
  }
  if (set.write_roles != 0 && !field.writable) {
    tag("read-only");
  }
  if (field.personal) {
    tag("personal");
  }
  if (!field.references.empty()) {
    tag("→ " + field.references);
  }
  if (!field.fallback.empty()) {
    tag("default " + field.fallback);
  }
  return notes;
}

void AppendDataset(std::string& out, const DatasetDef& set) {
  out += "<h3 id=\"ds-" + Escape(set.name) + "\"><code>" + Escape(set.name) + "</code></h3>\n<p>" +
         Escape(set.description) + "</p>\n<ul>\n<li>List: <code>GET /api/v1/" + Escape(set.name) +
         "</code> &mdash; " + Escape(RoleList(set.list_roles)) +
         "</li>\n<li>One record: <code>GET "
         "/api/v1/" +
         Escape(set.name) + "/{" + Escape(set.key) + "}</code> &mdash; " +
         Escape(RoleList(set.item_roles)) + "</li>\n";
  if (set.write_roles != 0) {
    out += "<li>Write: <code>POST</code>, <code>PATCH</code> &mdash; " +
           Escape(RoleList(set.write_roles)) + "</li>\n";
  }
  if (set.aggregate) {
    out +=
        "<li>Computed from the registry; cells counting fewer than 5 farmers have "
        "<code>suppressed</code> true and null figures</li>\n";
  }
  out += "<li>Formats:";
  for (const std::string& format : DatasetFormats(set)) {
    out += " <code>." + format + "</code>";
  }
  out +=
      "</li>\n</ul>\n<div class=\"table\"><table>\n<tr><th>field</th><th>type</th><th>who sees "
      "it</th><th>description</th></tr>\n";
  for (const FieldDef& field : set.fields) {
    std::string who = RoleList(FieldReaders(set, field));
    if ((field.rounded & FieldReaders(set, field)) != 0) {
      who += " (" + RoleList(field.rounded) + ": rounded to 0.1&deg;)";
    }
    out += "<tr><td><code>" + Escape(field.name) + "</code>" + FieldNotes(set, field) +
           "</td><td>" + Escape(FieldType(field)) + "</td><td>" + who + "</td><td>" +
           Escape(field.description) + "</td></tr>\n";
  }
  out += "</table></div>\n";
}

void AppendDatasets(std::string& out) {
  out +=
      "<h2 id=\"datasets\">Datasets</h2>\n<p>Field names are the JSON keys and the CSV column "
      "names. \"Who sees it\" lists the roles that get the field, among those that may read "
      "the dataset.</p>\n<div class=\"table\"><table>\n<tr><th>dataset</th><th>key</th>"
      "<th>list</th><th>write</th><th>description</th></tr>\n";
  for (const DatasetDef& set : registry::Datasets()) {
    out += "<tr><td><a href=\"#ds-" + Escape(set.name) + "\"><code>" + Escape(set.name) +
           "</code></a></td><td><code>" + Escape(set.key) + "</code></td><td>" +
           Escape(RoleList(set.list_roles)) + "</td><td>" +
           (set.write_roles != 0 ? Escape(RoleList(set.write_roles)) : "read-only") + "</td><td>" +
           Escape(set.description) + "</td></tr>\n";
  }
  out += "</table></div>\n";
  for (const DatasetDef& set : registry::Datasets()) {
    AppendDataset(out, set);
  }
}

struct SignalDoc {
  std::string_view code;
  std::string_view verdict;
  std::string_view when;
};

void AppendVerification(std::string& out) {
  namespace code = verify::code;
  static constexpr SignalDoc kSignals[] = {
      {code::kNotInAnyBook, "UNKNOWN", "the number lies in no receipt book"},
      {code::kBookStolen, "ALERT", "the book was reported stolen"},
      {code::kBookLost, "ALERT", "the book was reported lost"},
      {code::kBookCancelled, "ALERT", "the book was cancelled"},
      {code::kFarmerUnderInvestigation, "ALERT", "the farmer is under investigation"},
      {code::kFarmerInactive, "ALERT", "the farmer is suspended or deceased"},
      {code::kFarmerUnverified, "CHECK", "the farmer's registration is not verified"},
      {code::kCardExpired, "CHECK", "the farmer's registration card has expired"},
      {code::kReceiptRechecked, "CHECK",
       "checked 3 or more times in 72 h, or in 2 or more parishes within 24 h"},
      {code::kSaleMismatch, "CHECK",
       "the commodity differs from the recorded sale, or the quantity exceeds it by over 10 %"},
      {code::kVolumeImplausible, "CHECK",
       "the farmer's sales of the crop this season exceed 150 % of his farms' expected volume"},
  };
  out +=
      "<p>The answer: <code>receipt</code>, <code>verdict</code>, <code>signals</code> (a list "
      "of <code>{code, message}</code>, most important first), <code>book</code>, "
      "<code>farmer</code> (the police view) and <code>sale</code> (the digital receipt), each "
      "null when there is none. The verdict is <code>ALERT</code> when any ALERT signal is "
      "present, else <code>CHECK</code> when any CHECK signal is, else <code>VALID</code>; a "
      "number in no book is <code>UNKNOWN</code>. Thresholds are configurable; the defaults "
      "are shown.</p>\n<div class=\"table\"><table>\n<tr><th>signal</th><th>verdict</th>"
      "<th>when</th></tr>\n";
  for (const SignalDoc& signal : kSignals) {
    out += "<tr><td><code>" + Escape(signal.code) + "</code></td><td>" + Escape(signal.verdict) +
           "</td><td>" + Escape(signal.when) + "</td></tr>\n";
  }
  out += "</table></div>\n";
}

void AppendOperations(std::string& out, const DocsExamples& examples) {
  out += "<h2 id=\"operations\">Field operations</h2>\n";
  for (const FieldOperation& op : FieldOperations()) {
    out += "<h3 id=\"op-" + Escape(op.name) + "\"><code>" + Escape(op.method) + " " +
           Escape(op.path) + "</code></h3>\n<p>" + Escape(op.summary) + " <span class=\"muted\">" +
           "Roles: " + Escape(RoleList(op.roles)) + ".</span></p>\n";
    if (op.name == "verify") {
      out +=
          "<p>Optional query parameters describe the load: <code>commodity</code>, "
          "<code>quantity</code>, <code>unit</code>.</p>\n";
      AppendVerification(out);
    } else if (op.name == "sales") {
      out +=
          "<p>Body: <code>receipt</code>, <code>commodity</code>, <code>quantity</code>, "
          "<code>unit</code>, and optionally <code>buyer_name</code>, <code>buyer_phone</code>, "
          "<code>sold_at</code>. The farmer comes from the book. Answers <code>201</code>; "
          "<code>409</code> when the receipt is already recorded or its book is not active, "
          "<code>422</code> when it lies in no book or a field is invalid.</p>\n<pre><code>" +
          Escape(
              "curl -X POST -H 'Authorization: Bearer KEY' "
              "-H 'Content-Type: application/json' \\\n  -d '{\"receipt\": " +
              std::to_string(examples.sell_receipt) + ", \"commodity\": \"" + examples.commodity +
              "\", \"quantity\": 200, \"unit\": \"kg\"}' \\\n  " + std::string(kBase) +
              "/api/v1/sales") +
          "</code></pre>\n";
    } else if (op.name == "report") {
      out +=
          "<p>Body: <code>{\"status\": \"lost\"}</code> or <code>{\"status\": "
          "\"stolen\"}</code>. Answers <code>200</code> with the book; <code>404</code> for an "
          "unknown serial.</p>\n<pre><code>" +
          Escape(
              "curl -X POST -H 'Authorization: Bearer KEY' "
              "-H 'Content-Type: application/json' \\\n  -d '{\"status\": \"stolen\"}' " +
              std::string(kBase) + "/api/v1/books/" + examples.book_serial + "/report") +
          "</code></pre>\n";
    }
  }
}

void AppendErrors(std::string& out) {
  out +=
      "<h2 id=\"errors\">Errors</h2>\n<p>Every error has the same body; <code>details</code> "
      "is present for validation errors:</p>\n<pre><code>" +
      Escape(
          "{\"error\": {\"code\": \"invalid\", \"message\": \"the farms record is not "
          "valid\",\n  \"details\": [{\"field\": \"parish\", \"message\": \"unknown parish "
          "'Kingstown'\"}]}}") +
      "</code></pre>\n<div class=\"table\"><table>\n<tr><th>status</th><th>code</th>"
      "<th>meaning</th></tr>\n";
  for (const ErrorStatus& error : ErrorStatuses()) {
    std::string meaning = Escape(error.meaning);
    if (!error.header.empty()) {
      meaning += "; header <code>" + Escape(error.header) + "</code>";
    }
    out += "<tr><td>" + std::to_string(error.status) + "</td><td><code>" + Escape(error.code) +
           "</code></td><td>" + meaning + "</td></tr>\n";
  }
  out += "</table></div>\n";
}

}  // namespace

std::string DocsHtml(const DocsExamples& examples) {
  std::string out(kHead);
  AppendQuickStart(out, examples);
  out += kAuth;
  out += kQuery;
  AppendDatasets(out);
  out += kWriting;
  AppendOperations(out, examples);
  out += kSms;
  AppendErrors(out);
  out += kMeta;
  return out;
}

}  // namespace harvest::api
