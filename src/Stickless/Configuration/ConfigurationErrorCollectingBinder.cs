using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;

namespace Stickless;

/// <summary>
/// Binds a configuration section onto an options object with the standard configuration binder, property by property, so
/// that every value the binder cannot convert is reported (all of them, each with its key) instead of the first one
/// throwing. Keys that match no property are left alone: a store's subsection (<c>Stickless:Redis</c>) sits beside the
/// core's keys.
/// </summary>
/// <remarks>Values are read exactly as the binder reads them: <c>00:00:00.500</c> is half a second, <c>500</c> is 500 days.</remarks>
internal static class ConfigurationErrorCollectingBinder
{
    private const string BindingMessage = "Binds options by reflection with the configuration binder.";

    // The errors found while binding each options instance, for its validator to report.
    private static readonly ConditionalWeakTable<object, List<string>> Errors = [];

    /// <summary>Binds <paramref name="section"/> onto <paramref name="options"/>, remembering the values that could not be converted.</summary>
    [RequiresUnreferencedCode(BindingMessage)]
    [RequiresDynamicCode(BindingMessage)]
    public static void Bind(IConfiguration section, object options)
    {
        var errors = new List<string>();
        BindObject(section, options, errors);
        Errors.AddOrUpdate(options, errors);
    }

    /// <summary>The values that could not be converted when <paramref name="options"/> was bound.</summary>
    public static IReadOnlyList<string> ErrorsOf(object options) => Errors.TryGetValue(options, out var errors) ? errors : [];

    [RequiresUnreferencedCode(BindingMessage)]
    [RequiresDynamicCode(BindingMessage)]
    private static void BindObject(IConfiguration section, object target, List<string> errors)
    {
        foreach (var child in section.GetChildren())
        {
            var property = target.GetType().GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var type = property.PropertyType;
            var isLeaf = child.Value is not null && !child.GetChildren().Any();
            if (isLeaf || IsCollection(type))
            {
                if (!property.CanWrite)
                {
                    if (property.GetValue(target) is { } existing && IsCollection(type))
                    {
                        TryConvert(child, () => child.Bind(existing), errors);
                    }

                    continue;
                }

                TryConvert(child, () => property.SetValue(target, child.Get(type)), errors);
            }
            else if (property.GetValue(target) is { } nested)
            {
                BindObject(child, nested, errors);
            }
            else if (property.CanWrite)
            {
                TryConvert(child, () => property.SetValue(target, child.Get(type)), errors);
            }
        }
    }

    private static bool IsCollection(Type type) => type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type);

    private static void TryConvert(IConfigurationSection child, Action bind, List<string> errors)
    {
        try
        {
            bind();
        }
        catch (InvalidOperationException ex)
        {
            errors.Add(child.Value is { } value
                ? $"{child.Path} = '{value}' cannot be read ({ex.Message.TrimEnd('.')}); time spans are written like 00:00:00.500."
                : $"{child.Path} cannot be read ({ex.Message.TrimEnd('.')}).");
        }
    }
}
