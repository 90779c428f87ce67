namespace Stickless.Memcached.Protocol;

/// <summary>The <c>M</c> mode of an <c>ms</c>.</summary>
internal enum MetaSetMode
{
    /// <summary><c>MS</c>: store whatever is there. With a CAS token it becomes a compare-and-set, which never creates an item.</summary>
    Set,

    /// <summary><c>ME</c>: store only if no item exists (answers <c>NS</c> otherwise).</summary>
    Add,

    /// <summary><c>MR</c>: store only if an item exists (answers <c>NS</c> otherwise).</summary>
    Replace,
}
