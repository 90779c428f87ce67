using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Stickless.AspNetCore;

/// <summary>
/// Binds a configuration section (conventionally <c>Stickless</c>) onto <see cref="SticklessHttpOptions"/>.
/// Explicit rather than reflection-based, so it is trimming-safe and can report every unparsable value
/// through validation instead of throwing at the first one.
/// </summary>
/// <remarks>
/// Keys: <c>Store</c>, <c>StoreTimeout</c>, <c>IdleTimeout</c>, <c>AbsoluteTimeout</c>, <c>TouchFraction</c>,
/// <c>RotationGrace</c>, <c>MaxUpdateAttempts</c>, <c>FailurePolicy</c>, <c>HeaderName</c>, <c>RetryAfterSeconds</c>,
/// <c>Cookie:Name|HttpOnly|SameSite|SecurePolicy|Path|Domain|Persistent|MaxLength</c>,
/// <c>Limits:MaxNameLength|MaxAttributeBytes|MaxAttributeCount|MaxTotalBytes</c>. Absent keys keep their defaults.
/// </remarks>
internal static class SticklessHttpOptionsBinder
{
    public static void Bind(IConfiguration section, SticklessHttpOptions options)
    {
        var policy = options.Policy;
        var limits = policy.Limits;
        var cookie = options.Cookie;

        if (section["Store"] is { } store) { options.Store = store; }
        Read<TimeSpan>(section, "StoreTimeout", options, TryParseTimeSpan, v => options.StoreTimeout = v);
        Read<TimeSpan>(section, "IdleTimeout", options, TryParseTimeSpan, v => policy.IdleTimeout = v);
        Read<TimeSpan>(section, "AbsoluteTimeout", options, TryParseTimeSpan, v => policy.AbsoluteTimeout = v);
        Read<double>(section, "TouchFraction", options, TryParseDouble, v => policy.TouchFraction = v);
        Read<TimeSpan>(section, "RotationGrace", options, TryParseTimeSpan, v => policy.RotationGrace = v);
        Read<int>(section, "MaxUpdateAttempts", options, TryParseInt, v => policy.MaxUpdateAttempts = v);
        Read(section, "FailurePolicy", options, TryParseEnum, (SessionFailurePolicy v) => options.FailurePolicy = v);
        Read<int>(section, "RetryAfterSeconds", options, TryParseInt, v => options.RetryAfterSeconds = v);
        if (section["HeaderName"] is { } header) { options.HeaderName = header.Length == 0 ? null : header; }

        if (section["Cookie:Name"] is { } name) { cookie.Name = name; }
        if (section["Cookie:Path"] is { } path) { cookie.Path = path; }
        if (section["Cookie:Domain"] is { } domain) { cookie.Domain = domain.Length == 0 ? null : domain; }
        Read<bool>(section, "Cookie:HttpOnly", options, bool.TryParse, v => cookie.HttpOnly = v);
        Read<bool>(section, "Cookie:Persistent", options, bool.TryParse, v => cookie.Persistent = v);
        Read(section, "Cookie:SameSite", options, TryParseEnum, (SameSiteMode v) => cookie.SameSite = v);
        Read(section, "Cookie:SecurePolicy", options, TryParseEnum, (CookieSecurePolicy v) => cookie.SecurePolicy = v);
        Read<int>(section, "Cookie:MaxLength", options, TryParseInt, v => cookie.MaxLength = v);

        Read<int>(section, "Limits:MaxNameLength", options, TryParseInt, v => limits.MaxNameLength = v);
        Read<int>(section, "Limits:MaxAttributeBytes", options, TryParseInt, v => limits.MaxAttributeBytes = v);
        Read<int>(section, "Limits:MaxAttributeCount", options, TryParseInt, v => limits.MaxAttributeCount = v);
        Read<int>(section, "Limits:MaxTotalBytes", options, TryParseInt, v => limits.MaxTotalBytes = v);
    }

    private delegate bool TryParse<T>(string text, out T value);

    private static void Read<T>(IConfiguration section, string key, SticklessHttpOptions options, TryParse<T> parse, Action<T> assign)
    {
        var text = section[key];
        if (text is null)
        {
            return;
        }

        if (parse(text, out var value))
        {
            assign(value);
        }
        else
        {
            var path = section is IConfigurationSection s ? $"{s.Path}:{key}" : key;
            options.AddBindingError($"{path} = '{text}' is not a valid {typeof(T).Name}.");
        }
    }

    private static bool TryParseTimeSpan(string text, out TimeSpan value) => TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);

    private static bool TryParseDouble(string text, out double value) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static bool TryParseInt(string text, out int value) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    private static bool TryParseEnum<TEnum>(string text, out TEnum value)
        where TEnum : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(text, out _);
}
