namespace Stickless.Conformance;

// Rule 3: requests of one session on two nodes that change different attributes both survive; a compare-and-set
// read-modify-write with retry loses nothing.
public abstract partial class SessionStoreConformanceTests
{
    [Fact]
    public async Task Rule3_DifferentAttributesOnTwoNodesAtOnce_AllSurvive()
    {
        var id = await CreateAsync(attributes: [("seed", "0")]);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            var store = i % 2 == 0 ? A : B;
            var result = await SetAsync(store, id, $"item{i}", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(CommitStatus.Committed, result.Status);
        })));

        var record = await LoadAsync(A, id);
        Assert.Equal(21, record!.Attributes.Count);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(record.Attributes[$"item{i}"]));
        }
    }

    [Fact]
    public async Task Rule3_CompareAndSetIncrementsOnTwoNodesAtOnce_LoseNothing()
    {
        var id = await CreateAsync(attributes: [("counter", "0")]);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => IncrementWithCompareAndSetAsync(i % 2 == 0 ? A : B, id, "counter"))));

        Assert.Equal("40", Text((await LoadAsync(B, id))!.Attributes["counter"]));
    }

    [Fact]
    public async Task Rule3_BlindWriteOfOneAttribute_LeavesAttributesWrittenMeanwhileOnTheOtherNode()
    {
        var id = await CreateAsync(attributes: [("a", "1")]);
        _ = await LoadAsync(A, id);
        Assert.Equal(CommitStatus.Committed, (await SetAsync(B, id, "b", "from B")).Status);

        Assert.Equal(CommitStatus.Committed, (await SetAsync(A, id, "a", "from A")).Status);

        var record = await LoadAsync(A, id);
        Assert.Equal("from A", Text(record!.Attributes["a"]));
        Assert.Equal("from B", Text(record.Attributes["b"]));
    }
}
