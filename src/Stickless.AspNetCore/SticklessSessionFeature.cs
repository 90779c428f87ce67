using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Stickless.AspNetCore;

/// <summary>The <see cref="ISessionFeature"/> that makes <c>HttpContext.Session</c> a Stickless session.</summary>
internal sealed class SticklessSessionFeature : ISessionFeature
{
    public SticklessSessionFeature(ISession session) => Session = session;

    public ISession Session { get; set; }
}
