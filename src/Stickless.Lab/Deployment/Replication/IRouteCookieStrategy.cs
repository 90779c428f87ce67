namespace Stickless.Lab.Deployment.Replication;

/// <summary>A strategy whose nodes set a routing cookie (the owner's node id) that HAProxy routes by, like Tomcat's jvmRoute.</summary>
internal interface IRouteCookieStrategy
{
    /// <summary>The cookie's name; its value is a node name, which is also the HAProxy server's cookie value.</summary>
    string RouteCookie { get; }
}
