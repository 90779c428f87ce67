namespace Stickless.Conformance;

/// <summary>
/// DESIGN.md's "rules every store keeps", as tests every store runs. A store's test project derives one class per store
/// mode and implements <see cref="ConformanceSuite.CreateStoreAsync"/>; test names start with the rule they check
/// (<c>Rule1_</c> to <c>Rule7_</c>, <c>Index_</c> for the per-user index).
/// </summary>
/// <remarks>
/// Rule 6 (store down or slow) is in <see cref="StoreOutageConformanceTests"/>, for stores that can be taken down; the
/// commutative attribute operations are in <see cref="AttributeOperationsConformanceTests"/>.
/// </remarks>
public abstract partial class SessionStoreConformanceTests : ConformanceSuite
{
}
