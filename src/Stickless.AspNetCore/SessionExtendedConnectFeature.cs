using Microsoft.AspNetCore.Http.Features;

namespace Stickless.AspNetCore;

/// <summary>The HTTP/2 extended CONNECT counterpart of <see cref="SessionUpgradeFeature"/> (WebSockets over HTTP/2).</summary>
internal sealed class SessionExtendedConnectFeature(IHttpExtendedConnectFeature inner, SessionCommitGate gate) : IHttpExtendedConnectFeature
{
    public bool IsExtendedConnect => inner.IsExtendedConnect;

    public string? Protocol => inner.Protocol;

    public async ValueTask<Stream> AcceptAsync()
    {
        await gate.CommitBeforeUpgradeAsync().ConfigureAwait(false);
        return await inner.AcceptAsync().ConfigureAwait(false);
    }
}
