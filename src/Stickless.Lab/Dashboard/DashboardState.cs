using Stickless.Lab.Deployment;

namespace Stickless.Lab.Dashboard;

/// <summary>Everything the dashboard page shows, as its JSON endpoint answers it.</summary>
/// <param name="Strategy">The strategy's name.</param>
/// <param name="Description">What the strategy does.</param>
/// <param name="WhatToWatch">What a person should notice.</param>
/// <param name="SharesSessions">True when any node can serve any session.</param>
/// <param name="StickyRouting">True when HAProxy routes by an affinity cookie.</param>
/// <param name="FrontendUrl">HAProxy's front end.</param>
/// <param name="StatsUrl">HAProxy's stats page.</param>
/// <param name="Nodes">The nodes.</param>
/// <param name="Services">The strategy's servers.</param>
/// <param name="StoredSessions">Live sessions in the shared store; null when sessions live in node memory.</param>
/// <param name="Probe">The session probe.</param>
/// <param name="Bench">The live bench figures.</param>
/// <param name="UpdatedAt">When the nodes were last looked at.</param>
internal sealed record DashboardState(
    string Strategy,
    string Description,
    string WhatToWatch,
    bool SharesSessions,
    bool StickyRouting,
    string FrontendUrl,
    string StatsUrl,
    IReadOnlyList<DashboardNode> Nodes,
    IReadOnlyList<DashboardService> Services,
    long? StoredSessions,
    DashboardProbe Probe,
    LiveBenchSnapshot Bench,
    DateTimeOffset UpdatedAt);
