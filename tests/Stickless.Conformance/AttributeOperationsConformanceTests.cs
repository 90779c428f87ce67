using System.Globalization;

namespace Stickless.Conformance;

/// <summary>
/// The commutative attribute operations (<see cref="AttributeChangeKind.Increment"/>, <see cref="AttributeChangeKind.AddToSet"/>,
/// <see cref="AttributeChangeKind.RemoveFromSet"/>): applied by the store to what it holds, so concurrent requests on any
/// nodes never conflict and lose nothing.
/// </summary>
public abstract class AttributeOperationsConformanceTests : ConformanceSuite
{
    [Fact]
    public async Task Ops_IncrementAbsentAttribute_StartsFromZeroAndReportsTheResult()
    {
        var id = await CreateAsync();

        var result = await A.CommitAsync(Change(id, ("counter", AttributeChange.Increment(5))), Ct);

        Assert.Equal(CommitStatus.Committed, result.Status);
        var counter = result.OperationResults["counter"];
        Assert.Equal("5", Text(counter!.Value));
        Assert.Equal(counter.Value.Version, (await LoadAsync(B, id))!.Attributes["counter"].Version);
    }

    [Fact]
    public async Task Ops_IncrementsOnTwoNodesAtOnce_AllCountWithoutConflicts()
    {
        var id = await CreateAsync(attributes: [("counter", "10")]);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
            await (i % 2 == 0 ? A : B).CommitAsync(Change(id, ("counter", AttributeChange.Increment(1))), Ct))));

        Assert.All(results, r => Assert.Equal(CommitStatus.Committed, r.Status));
        Assert.Equal("60", Text((await LoadAsync(A, id))!.Attributes["counter"]));
        var seen = results.Select(r => long.Parse(Text(r.OperationResults["counter"]!.Value), CultureInfo.InvariantCulture)).Order().ToArray();
        Assert.Equal(Enumerable.Range(11, 50).Select(v => (long)v), seen);
    }

    [Fact]
    public async Task Ops_AddToSetOnTwoNodesAtOnce_KeepsEveryDistinctMemberOnce()
    {
        var id = await CreateAsync();

        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(async () =>
        {
            var member = Bytes((i % 30).ToString(CultureInfo.InvariantCulture));
            var result = await (i % 2 == 0 ? A : B).CommitAsync(Change(id, ("wishlist", AttributeChange.AddToSet(member))), Ct);
            Assert.Equal(CommitStatus.Committed, result.Status);
        })));

        var stored = System.Text.Json.JsonSerializer.Deserialize<long[]>(Text((await LoadAsync(B, id))!.Attributes["wishlist"]))!;
        Assert.Equal(Enumerable.Range(0, 30).Select(v => (long)v), stored.Order());
    }

    [Fact]
    public async Task Ops_SetMembers_StringsAndIntegersDifferAndRemoveTakesOnlyTheEqualOne()
    {
        var id = await CreateAsync();
        await A.CommitAsync(Change(id, ("s", AttributeChange.AddToSet(Bytes("1")))), Ct);
        await A.CommitAsync(Change(id, ("s", AttributeChange.AddToSet(Bytes("\"1\"")))), Ct);
        var again = await B.CommitAsync(Change(id, ("s", AttributeChange.AddToSet(Bytes("1")))), Ct);
        Assert.Equal(CommitStatus.Committed, again.Status);

        var removed = await B.CommitAsync(Change(id, ("s", AttributeChange.RemoveFromSet(Bytes("1")))), Ct);
        var absent = await A.CommitAsync(Change(id, ("s", AttributeChange.RemoveFromSet(Bytes("2")))), Ct);

        Assert.Equal(CommitStatus.Committed, removed.Status);
        Assert.Equal(CommitStatus.Committed, absent.Status);
        var stored = System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement[]>(Text((await LoadAsync(A, id))!.Attributes["s"]))!;
        var only = Assert.Single(stored);
        Assert.Equal("1", only.GetString());
    }

    [Fact]
    public async Task Ops_OperationOnAValueOfTheWrongShape_ConflictsWithWhatIsStoredAndWritesNothing()
    {
        var id = await CreateAsync(attributes: [("counter", "\"not a number\""), ("set", "{\"not\":\"an array\"}")]);

        var increment = await A.CommitAsync(Change(id, ("counter", AttributeChange.Increment(1)), ("other", AttributeChange.Set(Bytes("x")))), Ct);
        var add = await B.CommitAsync(Change(id, ("set", AttributeChange.AddToSet(Bytes("1")))), Ct);

        Assert.Equal(CommitStatus.Conflict, increment.Status);
        Assert.Equal("\"not a number\"", Text(increment.Conflicts["counter"]!.Value));
        Assert.Equal(CommitStatus.Conflict, add.Status);
        Assert.False((await LoadAsync(A, id))!.Attributes.ContainsKey("other"));
    }

    [Fact]
    public async Task Ops_IncrementThatWouldOverflow_IsRefused()
    {
        var id = await CreateAsync(attributes: [("counter", long.MaxValue.ToString(CultureInfo.InvariantCulture))]);

        var result = await A.CommitAsync(Change(id, ("counter", AttributeChange.Increment(1))), Ct);

        Assert.Equal(CommitStatus.Conflict, result.Status);
        Assert.Equal(long.MaxValue.ToString(CultureInfo.InvariantCulture), Text((await LoadAsync(B, id))!.Attributes["counter"]));
    }

    [Fact]
    public async Task Ops_OnADeletedSession_NotFoundAndNothingCreated()
    {
        var id = await CreateAsync();
        Assert.True(await B.DeleteAsync(id, Ct));

        var result = await A.CommitAsync(Change(id, ("counter", AttributeChange.Increment(1))), Ct);

        Assert.Equal(CommitStatus.NotFound, result.Status);
        Assert.Null(await LoadAsync(A, id));
    }
}
