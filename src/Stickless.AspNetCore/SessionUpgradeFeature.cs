using Microsoft.AspNetCore.Http.Features;

namespace Stickless.AspNetCore;

/// <summary>
/// An HTTP/1.1 upgrade (WebSockets) starts the response in a way the commit gate cannot replace, so the session is
/// committed just before it; a fail-closed store failure then answers 503 instead of upgrading.
/// </summary>
internal sealed class SessionUpgradeFeature(IHttpUpgradeFeature inner, SessionCommitGate gate) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        await gate.CommitBeforeUpgradeAsync().ConfigureAwait(false);
        return await inner.UpgradeAsync().ConfigureAwait(false);
    }
}
