using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Stickless.Redis.Tests.Infrastructure;

/// <summary>Self-signed certificates for TLS tests, made in-process (no openssl needed).</summary>
public static class TestCertificates
{
    /// <summary>Writes <c>server.crt</c> and <c>server.key</c> (PEM) for localhost / 127.0.0.1 into <paramref name="folder"/>.</summary>
    public static X509Certificate2 WriteSelfSigned(string folder)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, false, 0, critical: true));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
        File.WriteAllText(Path.Combine(folder, "server.crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "server.key"), key.ExportPkcs8PrivateKeyPem());
        return certificate;
    }
}
