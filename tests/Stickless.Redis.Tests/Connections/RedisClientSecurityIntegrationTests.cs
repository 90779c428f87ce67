using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Stickless.Redis.Connections;
using Stickless.Redis.Resp;
using Stickless.Redis.Tests.Infrastructure;

namespace Stickless.Redis.Tests.Connections;

/// <summary>AUTH (password and ACL user) and TLS against real redis-servers.</summary>
public sealed class RedisClientSecurityIntegrationTests
{
    [Fact]
    public async Task ConnectAsync_RightPassword_Authenticates()
    {
        await using var server = await RedisServer.StartAsync("--requirepass", "s3cret");

        await using var client = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{server.Endpoint},password=s3cret"));

        Assert.Equal("PONG", (await client.ExecuteAsync("PING")).GetString());
    }

    [Fact]
    public async Task ConnectAsync_WrongPassword_FailsWithClearAuthenticationError()
    {
        await using var server = await RedisServer.StartAsync("--requirepass", "s3cret");

        var error = await Assert.ThrowsAsync<RedisConnectionException>(async () =>
            await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{server.Endpoint},password=wrong")));

        Assert.StartsWith("Authentication failed on Redis", error.Message, StringComparison.Ordinal);
        Assert.Contains("WRONGPASS", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong,", error.Message, StringComparison.Ordinal);
        Assert.True(Assert.IsType<RedisServerException>(error.InnerException).IsAuthenticationError);
    }

    [Fact]
    public async Task ConnectAsync_NoPasswordOnProtectedServer_FailsWithNoAuth()
    {
        await using var server = await RedisServer.StartAsync("--requirepass", "s3cret");

        var error = await Assert.ThrowsAsync<RedisConnectionException>(async () =>
            await RedisClient.ConnectAsync(RedisConnectionOptions.Parse(server.Endpoint)));

        Assert.Contains("NOAUTH", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("resp2")]
    [InlineData("resp3")]
    public async Task ConnectAsync_AclUser_AuthenticatesWithUserAndPassword(string protocol)
    {
        await using var server = await RedisServer.StartAsync();
        await server.CliAsync("ACL", "SETUSER", "app", "on", ">apppass", "~*", "+@all");

        await using var client = await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{server.Endpoint},user=app,password=apppass,protocol={protocol}"));
        var bad = await Record.ExceptionAsync(async () =>
            await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{server.Endpoint},user=app,password=nope,protocol={protocol}")));

        Assert.Equal("app", (await client.ExecuteAsync("ACL", ["WHOAMI"])).GetString());
        Assert.IsType<RedisConnectionException>(bad);
        Assert.Contains("WRONGPASS", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_TlsWithTrustedCertificate_Works()
    {
        await using var server = await RedisServer.StartAsync([], tls: true);
        using var trusted = X509Certificate2.CreateFromPem(File.ReadAllText(server.CertificatePath!));
        var options = RedisConnectionOptions.Parse($"{server.Endpoint},ssl=true,sslHost=localhost");
        options.CertificateValidation = (_, certificate, _, errors) =>
            errors == SslPolicyErrors.None || (certificate is not null && certificate.GetCertHashString() == trusted.GetCertHashString());

        await using var client = await RedisClient.ConnectAsync(options);
        await client.ExecuteAsync("SET", ["tls:k", "secret"]);

        Assert.Equal("secret", (await client.ExecuteAsync("GET", ["tls:k"])).GetString());
    }

    [Fact]
    public async Task ConnectAsync_TlsWithUntrustedCertificate_FailsWithTlsError()
    {
        await using var server = await RedisServer.StartAsync([], tls: true);

        var error = await Assert.ThrowsAsync<RedisConnectionException>(async () =>
            await RedisClient.ConnectAsync(RedisConnectionOptions.Parse($"{server.Endpoint},ssl=true,sslHost=localhost,connectTimeout=3000")));

        Assert.Contains("TLS handshake", error.Message, StringComparison.Ordinal);
    }
}
