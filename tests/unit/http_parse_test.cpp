// http::ParseRequest: the bytes of one request → http::Request, as a connection reads it.
#include <gtest/gtest.h>

#include <string>

#include "http/server.h"

namespace harvest::http {
namespace {

TEST(ParseRequest, ReadsMethodTargetHeadersAndBody) {
  Request req;
  ASSERT_EQ(ParseRequest("POST /sms/kannel?key=a%20b&text=R+45 HTTP/1.1\r\nHost: x\r\n"
                         "X-A: 1\r\nx-a: 2\r\nContent-Length: 4\r\n\r\nbodyEXTRA",
                         ServerOptions{}, req),
            0);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/sms/kannel?key=a%20b&text=R+45");
  EXPECT_EQ(req.path, "/sms/kannel");
  ASSERT_EQ(req.query.size(), 2u);
  EXPECT_EQ(req.query[0].second, "a b");
  EXPECT_EQ(req.query[1].second, "R 45");
  ASSERT_NE(req.Header("X-A"), nullptr);
  EXPECT_EQ(*req.Header("X-A"), "1, 2");  // repeated headers joined, names case-insensitive
  EXPECT_EQ(req.body, "body");           // bytes after the request are not part of it
}

TEST(ParseRequest, DecodesAChunkedBody) {
  Request req;
  ASSERT_EQ(ParseRequest("POST /sms/twilio HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                         "4\r\nBody\r\n3\r\n=R1\r\n0\r\n\r\n",
                         ServerOptions{}, req),
            0);
  EXPECT_EQ(req.body, "Body=R1");
}

TEST(ParseRequest, AnswersWhatAConnectionAnswers) {
  ServerOptions small;
  small.max_body_bytes = 8;
  small.max_header_bytes = 64;
  Request req;
  EXPECT_EQ(ParseRequest("GET / HTTP/1.1\r\nHost: x\r\n", small, req), 400);  // cut short
  EXPECT_EQ(ParseRequest("GET / HTTP/9.9\r\n\r\n", small, req), 400);
  EXPECT_EQ(ParseRequest("", small, req), 400);
  EXPECT_EQ(ParseRequest("POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\n123456789", small, req), 413);
  EXPECT_EQ(ParseRequest("GET / HTTP/1.1\r\nX: " + std::string(100, 'a') + "\r\n\r\n", small, req),
            431);
  EXPECT_EQ(ParseRequest("POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nab", small, req), 0);
}

// The framing a connection refuses (SPEC §10: no body read two ways) is refused here too, so
// the fuzz target over ParseRequest runs the same rule.
TEST(ParseRequest, RefusesAmbiguousFraming) {
  ServerOptions options;
  Request req;
  const std::string smuggled = "0\r\n\r\nGET /admin HTTP/1.1\r\nHost: x\r\n\r\n";
  EXPECT_EQ(ParseRequest("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n" + smuggled,
                         options, req),
            400);
  EXPECT_EQ(ParseRequest("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n" +
                             smuggled,
                         options, req),
            400);
  EXPECT_EQ(ParseRequest("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n" + smuggled,
                         options, req),
            400);
  EXPECT_EQ(ParseRequest("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                         "2\r\nab\r\n0\r\n\r\n",
                         options, req),
            0);
  EXPECT_EQ(req.body, "ab");
}

}  // namespace
}  // namespace harvest::http
