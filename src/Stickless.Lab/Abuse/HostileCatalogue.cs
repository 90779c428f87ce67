using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Stickless.Lab.Abuse;

/// <summary>
/// The abusive requests, by family, each drawn at random: forged, tampered, malformed and oversized cookies; ids injected
/// in the id header; hostile path ids; hostile JSON bodies; values at and beyond a session's limits; a session at its
/// attribute limit read and written; protocol abuse. Every one goes through HAProxy like any browser's request.
/// </summary>
internal static class HostileCatalogue
{
    /// <summary>The session cookie's name on the lab's Festa nodes (plain HTTP: no <c>__Host-</c> prefix).</summary>
    public const string CookieName = "stickless";

    /// <summary>The id header the abuse deployment turns on (<c>Stickless:HeaderName</c>), so that it can be abused too.</summary>
    public const string HeaderName = "X-Session-Id";

    private static readonly (string Kind, int Weight, Func<Random, AttackerIdentity, HostileRequest> Draw)[] Families =
    [
        ("forged-cookie", 14, ForgedCookie),
        ("tampered-cookie", 6, TamperedCookie),
        ("malformed-cookie", 10, MalformedCookie),
        ("oversized-cookie", 4, OversizedCookie),
        ("header-id", 12, HeaderId),
        ("path-id", 10, PathId),
        ("json-body", 10, JsonBody),
        ("attribute-value", 10, AttributeValue),
        ("full-session", 8, FullSession),
        ("protocol", 6, Protocol),
    ];

    private static readonly int TotalWeight = Families.Sum(static f => f.Weight);

    /// <summary>The families' names, in order.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [.. Families.Select(static f => f.Kind)];

    /// <summary>A random abusive request.</summary>
    public static HostileRequest Draw(Random random, AttackerIdentity me)
    {
        var pick = random.Next(TotalWeight);
        foreach (var (_, weight, draw) in Families)
        {
            if (pick < weight)
            {
                return draw(random, me);
            }

            pick -= weight;
        }

        throw new InvalidOperationException("unreachable");
    }

    /// <summary>A well-formed id the server never issued.</summary>
    public static string ForgedId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private static string Cookie(string value) => $"Cookie: {CookieName}={value}";

    private static HostileRequest ForgedCookie(Random random, AttackerIdentity me)
    {
        var forged = ForgedId();
        var (method, path) = Pick(random, ("GET", "/me"), ("POST", "/counter"), ("GET", "/wishlist"), ("GET", "/preferences"), ("GET", "/sessions"), ("POST", "/logout"), ("PUT", "/wishlist/7"));
        return new HostileRequest("forged-cookie", $"{method} {path} with a well-formed id the server never issued", RawRequest.Build(method, path, [Cookie(forged)]))
        {
            Check = response => NotAdopted(response, forged) ?? (path is "/me" or "/wishlist" or "/sessions" && response.Status == 200 ? $"{path} answered 200 to a forged id" : null),
        };
    }

    private static HostileRequest TamperedCookie(Random random, AttackerIdentity me)
    {
        // The attacker's own, valid id with one character changed: the nearest a guess can get.
        var chars = me.SessionId.ToCharArray();
        var at = random.Next(chars.Length);
        chars[at] = chars[at] == 'A' ? 'B' : 'A';
        var tampered = new string(chars);
        return new HostileRequest("tampered-cookie", "GET /me with the attacker's own id, one character changed", RawRequest.Build("GET", "/me", [Cookie(tampered)]))
        {
            Check = response => NotAdopted(response, tampered) ?? (response.Status == 200 ? "a tampered id was signed in" : null),
        };
    }

    private static HostileRequest MalformedCookie(Random random, AttackerIdentity me)
    {
        var (why, header) = Pick(random,
            ("bad characters", Cookie("abc$%^&*()!@#abc$%^&*()!@#abc$%^&*()!@#abcd")),
            ("standard base64 alphabet", Cookie("ab+/" + new string('x', 39))),
            ("42 characters", Cookie(new string('x', 42))),
            ("44 characters", Cookie(new string('x', 44))),
            ("padded", Cookie(ForgedId() + "=")),
            ("empty value", Cookie(string.Empty)),
            ("quoted", Cookie("\"" + ForgedId() + "\"")),
            ("two session cookies", $"Cookie: {CookieName}={ForgedId()}; {CookieName}={me.SessionId}"),
            ("no name", "Cookie: =" + ForgedId()),
            ("garbage", "Cookie: ;;;===;;; ; =; stickless"),
            ("percent-encoded", Cookie("%00%01%02" + new string('E', 34))),
            ("control bytes", Cookie("\u0001\u0002\u007f" + new string('F', 40))),
            ("Latin-1 bytes", Cookie("\u00e9\u00ff\u00fe" + new string('G', 40))),
            ("tab inside", Cookie(ForgedId()[..20] + "\t" + ForgedId()[..22])),
            ("two Cookie headers", Cookie(ForgedId()) + "\r\n" + Cookie(ForgedId())));
        return new HostileRequest("malformed-cookie", $"GET /me, cookie {why}", RawRequest.Build("GET", "/me", [header]))
        {
            Check = response => response.Status == 200 && why != "two session cookies" ? "a malformed cookie was signed in" : null,
        };
    }

    private static HostileRequest OversizedCookie(Random random, AttackerIdentity me)
    {
        var (why, header) = Pick(random,
            ("8 KB", Cookie(new string('a', 8 * 1024))),
            ("15 KB", Cookie(new string('a', 15 * 1024))),
            ("32 KB", Cookie(new string('a', 32 * 1024))),
            ("64 KB", Cookie(new string('a', 64 * 1024))),
            ("100 cookies of 100 B", "Cookie: " + string.Join("; ", Enumerable.Range(0, 100).Select(i => $"c{i}={new string('z', 100)}"))),
            ("the real one after 12 KB of others", "Cookie: " + string.Join("; ", Enumerable.Range(0, 120).Select(i => $"c{i}={new string('z', 100)}")) + $"; {CookieName}={me.SessionId}"));
        return new HostileRequest("oversized-cookie", $"GET /me, cookie {why}", RawRequest.Build("GET", "/me", [header]))
        {
            Check = response => response.Status == 200 && !why.StartsWith("the real one", StringComparison.Ordinal) ? "an oversized cookie was signed in" : null,
        };
    }

    private static HostileRequest HeaderId(Random random, AttackerIdentity me)
    {
        var forged = ForgedId();
        var (why, lines, mustNotSignIn) = Pick(random,
            ("a forged id in the id header", new[] { $"{HeaderName}: {forged}" }, true),
            ("a forged id in the header beside the attacker's real cookie (the header is read first)", new[] { $"{HeaderName}: {forged}", Cookie(me.SessionId) }, true),
            ("the id header twice", new[] { $"{HeaderName}: {forged}", $"{HeaderName}: {ForgedId()}" }, true),
            ("a comma list of ids", new[] { $"{HeaderName}: {forged}, {me.SessionId}" }, true),
            ("an 8 KB header value", new[] { $"{HeaderName}: {new string('h', 8 * 1024)}" }, true),
            ("an empty header value", new[] { $"{HeaderName}:" }, true),
            ("a header value that looks like a Set-Cookie", new[] { $"{HeaderName}: {forged}; Set-Cookie: {CookieName}={forged}" }, true),
            ("an obsolete folded continuation line", new[] { $"{HeaderName}: {forged}", $" {ForgedId()}" }, true),
            ("a space before the colon", new[] { $"{HeaderName} : {forged}" }, true),
            ("the lower-case header name", new[] { $"{HeaderName.ToLowerInvariant()}: {forged}" }, true),
            ("other id-looking headers", new[] { $"X-Session: {forged}", $"Session-Id: {forged}", $"Authorization: Bearer {forged}", $"X-Forwarded-Session: {forged}" }, true));
        var (method, path) = Pick(random, ("GET", "/me"), ("POST", "/counter"), ("GET", "/preferences"));
        return new HostileRequest("header-id", $"{method} {path}, {why}", RawRequest.Build(method, path, lines))
        {
            Check = response =>
                response.HeaderValues(HeaderName).Any(v => v.Contains(forged, StringComparison.Ordinal)) ? "the response echoed an injected id in the id header"
                : NotAdopted(response, forged)
                ?? (mustNotSignIn && path == "/me" && response.Status == 200 ? "an injected id was signed in" : null),
        };
    }

    private static HostileRequest PathId(Random random, AttackerIdentity me)
    {
        var (method, path) = Pick(random,
            ("PUT", "/wishlist/0"), ("PUT", "/wishlist/241"), ("PUT", "/wishlist/-1"), ("PUT", "/wishlist/1e3"),
            ("PUT", "/wishlist/99999999999999999999999"), ("DELETE", "/wishlist/%00"), ("PUT", "/wishlist/..%2F..%2Fme"),
            ("PUT", "/wishlist/%E2%80%AE1"), ("PUT", "/wishlist/" + new string('9', 4000)), ("GET", "/wishlist/../me"),
            ("DELETE", "/sessions/" + ForgedId()), ("DELETE", "/sessions/" + new string('x', 2000)), ("DELETE", "/sessions/%2e%2e"),
            ("PUT", "/preferences/..%2Fcounter"), ("PUT", "/preferences/%00"), ("PUT", "/preferences/" + new string('p', 300)),
            ("GET", "/" + new string('a', 6000)), ("GET", "/me?" + new string('q', 6000)));
        var body = method == "PUT" && path.StartsWith("/preferences", StringComparison.Ordinal) ? Encoding.UTF8.GetBytes("1") : null;
        return new HostileRequest("path-id", $"{method} {Shorten(path)} (attacker's session)", RawRequest.Build(method, path, [Cookie(me.SessionId)], body, body is null ? null : "application/json"));
    }

    private static HostileRequest JsonBody(Random random, AttackerIdentity me)
    {
        var target = random.Next(2) == 0 ? "/signup" : "/login";
        var (why, bytes) = Pick(random,
            ("8,000 arrays deep", RawRequest.Json("POST", target, new string('[', 8000) + new string(']', 8000))),
            ("an object 5,000 deep", RawRequest.Json("POST", target, string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000))),
            ("17 KB (over the 16 KB limit)", RawRequest.Json("POST", target, $"{{\"username\":\"{new string('u', 17 * 1024)}\",\"password\":\"x\"}}")),
            ("1 MB announced and sent", RawRequest.Json("POST", target, $"{{\"username\":\"{new string('u', 1024 * 1024)}\"}}")),
            ("1 MB chunked, no length", Chunked("POST", target, new string('[', 512 * 1024))),
            ("truncated", RawRequest.Json("POST", target, "{\"username\":\"abc\",\"password\":")),
            ("not JSON", RawRequest.Json("POST", target, "username=abc&password=def")),
            ("NaN and huge numbers", RawRequest.Json("POST", target, "{\"username\":NaN,\"password\":1e999999}")),
            ("duplicate keys", RawRequest.Json("POST", target, $"{{\"username\":\"{me.Username}\",\"username\":\"alice\",\"password\":\"x\"}}")),
            ("NUL and lone surrogates", RawRequest.Json("POST", target, "{\"username\":\"a\\u0000b\",\"password\":\"\\ud800\"}")),
            ("invalid UTF-8", RawRequest.Build("POST", target, null, [0x7B, 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x7D], "application/json")),
            ("wrong content type", RawRequest.Build("POST", target, null, Encoding.UTF8.GetBytes("{\"username\":\"abc\",\"password\":\"abcdefgh\"}"), "text/plain")),
            ("a real user's name with a wrong password", RawRequest.Json("POST", "/login", "{\"username\":\"alice\",\"password\":\"wrong-password-1\"}")));
        return new HostileRequest("json-body", $"POST {target}, {why}", bytes)
        {
            Check = response => target == "/login" && response.Status == 200 ? "a hostile login succeeded" : null,
        };
    }

    private static HostileRequest AttributeValue(Random random, AttackerIdentity me)
    {
        // A fresh anonymous session each time (no cookie), so values pile up only as far as one request takes them.
        var name = "v" + random.Next(1000).ToString(CultureInfo.InvariantCulture);
        var (why, json, expect) = Pick<(string, string, int[])>(random,
            ("a 16,000-byte string", "\"" + new string('s', 16_000) + "\"", [200]),
            ("32 arrays deep (the bound)", new string('[', 32) + new string(']', 32), [200]),
            ("33 arrays deep", new string('[', 33) + new string(']', 33), [400]),
            ("an object 2,000 deep", string.Concat(Enumerable.Repeat("{\"a\":", 2000)) + "1" + new string('}', 2000), [400]),
            ("1,000 keys", "{" + string.Join(',', Enumerable.Range(0, 1000).Select(i => $"\"k{i}\":{i}")) + "}", [200]),
            ("escapes everywhere", "\"" + string.Concat(Enumerable.Repeat("\\u0000\\\"\\\\\\ud83d\\ude00", 500)) + "\"", [200]),
            ("a lone surrogate", "\"\\udc00\"", [400]),
            ("a number of 10,000 digits", new string('7', 10_000), [200, 400]));
        return new HostileRequest("attribute-value", $"PUT /preferences/{name}: {why}", RawRequest.Json("PUT", $"/preferences/{name}", json))
        {
            Check = response => response.Outcome == RawOutcome.Answered && !expect.Contains(response.Status)
                ? $"answered {response.Status}, expected {string.Join(" or ", expect)}"
                : null,
        };
    }

    private static HostileRequest FullSession(Random random, AttackerIdentity me)
    {
        if (me.FullSessionId is not { } full)
        {
            return ForgedCookie(random, me);
        }

        var (method, path, expect) = Pick<(string, string, int[])>(random,
            ("GET", "/preferences", [200]),
            ("POST", "/counter", [200, 422]),
            ("PUT", "/preferences/one-more", [422, 200]),
            ("PUT", "/wishlist/5", [401]),
            ("GET", "/me", [401]));
        var body = method == "PUT" && path.StartsWith("/preferences", StringComparison.Ordinal) ? Encoding.UTF8.GetBytes("\"x\"") : null;
        return new HostileRequest("full-session", $"{method} {path} on a session at its attribute limit", RawRequest.Build(method, path, [Cookie(full)], body, body is null ? null : "application/json"))
        {
            Check = response => response.Outcome == RawOutcome.Answered && !expect.Contains(response.Status)
                ? $"answered {response.Status}, expected {string.Join(" or ", expect)}"
                : null,
        };
    }

    private static HostileRequest Protocol(Random random, AttackerIdentity me)
    {
        var (why, bytes) = Pick(random,
            ("an unknown method", RawRequest.Build("BREW", "/me", [Cookie(me.SessionId)])),
            ("HTTP/1.0 without Host", RawRequest.Verbatim("GET /me HTTP/1.0\r\n\r\n")),
            ("an absolute URI naming another host", RawRequest.Verbatim("GET http://evil.example/me HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")),
            ("Content-Length and Transfer-Encoding both (smuggling)", RawRequest.Verbatim("POST /counter HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /me HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")),
            ("two Content-Length headers", RawRequest.Verbatim("POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}")),
            ("invalid chunk sizes", RawRequest.Verbatim("POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n{}\r\n0\r\n\r\n")),
            ("a negative Content-Length", RawRequest.Verbatim("POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n")),
            ("200 headers", RawRequest.Build("GET", "/me", Enumerable.Range(0, 200).Select(i => $"X-Filler-{i}: {new string('f', 40)}"))),
            ("a garbage request line", RawRequest.Verbatim("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n")),
            ("a header name with a space", RawRequest.Verbatim("GET /me HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n\r\n")),
            ("bare LF line ends", RawRequest.Verbatim("GET /me HTTP/1.1\nHost: 127.0.0.1\n\n")),
            ("a NUL in a header value", RawRequest.Verbatim("GET /me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Test: a\u0000b\r\n\r\n")),
            ("Expect: 100-continue with a refused body", RawRequest.Verbatim("POST /signup HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 100000\r\n\r\n")),
            ("HEAD of the catalogue", RawRequest.Build("HEAD", "/events")));
        return new HostileRequest("protocol", why, bytes) { Head = why.StartsWith("HEAD", StringComparison.Ordinal), OwnConnection = true };
    }

    /// <summary>Null when the answer did not adopt <paramref name="id"/>: no Set-Cookie and no id header carrying it.</summary>
    private static string? NotAdopted(RawHttpResponse response, string id) =>
        response.HeaderValues("Set-Cookie").Any(v => v.StartsWith($"{CookieName}={id}", StringComparison.Ordinal))
            || response.HeaderValues(HeaderName).Any(v => v == id)
            ? "the server adopted an id it never issued"
            : null;

    private static byte[] Chunked(string method, string target, string body)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (var i = 0; i < body.Length; i += 8192)
        {
            var piece = body.Substring(i, Math.Min(8192, body.Length - i));
            text.Append(CultureInfo.InvariantCulture, $"{piece.Length:x}\r\n{piece}\r\n");
        }

        text.Append("0\r\n\r\n");
        return Encoding.Latin1.GetBytes(text.ToString());
    }

    private static T Pick<T>(Random random, params T[] choices) => choices[random.Next(choices.Length)];

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Create(CultureInfo.InvariantCulture, $"{text[..40]}… ({text.Length} chars)");
}
