using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Stickless.AspNetCore.Tests.Infrastructure;

namespace Stickless.AspNetCore.Tests;

public sealed class SticklessMetricsTests
{
    [Fact]
    public async Task Requests_LoadAndCommit_AreCountedAndTimedOnTheSticklessMeter()
    {
        await using var app = await TestApp.StartAsync(context =>
        {
            context.Session.SetString("k", "v");
            return Task.CompletedTask;
        });
        var meterFactory = app.Services.GetRequiredService<IMeterFactory>();
        var measurements = new ConcurrentBag<(string Instrument, object? Operation)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this host's meter: other tests run their own hosts in parallel.
            if (instrument.Meter.Name == SticklessMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => measurements.Add((instrument.Name, null)));
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "operation")
                {
                    measurements.Add((instrument.Name, tag.Value));
                }
            }
        });
        listener.Start();
        var client = app.NewSessionClient();

        await client.GetAsync("/");
        await client.GetAsync("/");

        Assert.Contains(measurements, m => m.Instrument == "stickless.session.loads");
        Assert.Equal(2, measurements.Count(m => m.Instrument == "stickless.session.commits"));
        Assert.Contains(measurements, m => m.Instrument == "stickless.store.duration" && (string?)m.Operation == "load");
        Assert.Contains(measurements, m => m.Instrument == "stickless.store.duration" && (string?)m.Operation == "commit");
    }
}
