using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stickless.Tests;

public sealed partial class SessionAttributeSerializerTests
{
    public sealed record Cart(string Owner, List<int> Items, decimal Total);

    public sealed record Required
    {
        public required string Name { get; init; }
    }

    [JsonPolymorphic]
    [JsonDerivedType(typeof(Circle), "circle")]
    public abstract record Shape;

    public sealed record Circle(double Radius) : Shape;

    [JsonSerializable(typeof(Cart))]
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
    public sealed partial class TestJsonContext : JsonSerializerContext;

    [Fact]
    public void Serialize_Record_RoundTrips()
    {
        var cart = new Cart("alice", [1, 2, 3], 12.5m);

        var bytes = SessionAttributeSerializer.Serialize(cart);

        Assert.True(SessionAttributeSerializer.TryDeserialize<Cart>(bytes, out var read));
        Assert.Equal(cart.Owner, read!.Owner);
        Assert.Equal(cart.Items, read.Items);
        Assert.Equal(cart.Total, read.Total);
    }

    [Fact]
    public void Serialize_DefaultOptions_UsesWebCamelCase()
    {
        var json = Encoding.UTF8.GetString(SessionAttributeSerializer.Serialize(new Cart("bob", [], 0)));

        Assert.Equal("""{"owner":"bob","items":[],"total":0}""", json);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void Serialize_Int_RoundTrips(int value)
    {
        Assert.True(SessionAttributeSerializer.TryDeserialize<int>(SessionAttributeSerializer.Serialize(value), out var read));
        Assert.Equal(value, read);
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("quotes \" and \\ backslash")]
    [InlineData("unicode: żółć 日本 🎉")]
    [InlineData("<script>alert(1)</script>")]
    public void Serialize_String_RoundTrips(string value)
    {
        Assert.True(SessionAttributeSerializer.TryDeserialize<string>(SessionAttributeSerializer.Serialize(value), out var read));
        Assert.Equal(value, read);
    }

    [Fact]
    public void Serialize_Dictionary_RoundTrips()
    {
        var value = new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 };

        Assert.True(SessionAttributeSerializer.TryDeserialize<Dictionary<string, int>>(SessionAttributeSerializer.Serialize(value), out var read));
        Assert.Equal(value, read);
    }

    [Fact]
    public void TryDeserialize_JsonNull_TrueAndNull()
    {
        Assert.True(SessionAttributeSerializer.TryDeserialize<Cart>("null"u8, out var read));
        Assert.Null(read);
    }

    [Fact]
    public void Serialize_TypeInfoOverload_RoundTrips()
    {
        var cart = new Cart("carol", [7], 1m);

        var bytes = SessionAttributeSerializer.Serialize(cart, TestJsonContext.Default.Cart);

        Assert.True(SessionAttributeSerializer.TryDeserialize(bytes, out var read, TestJsonContext.Default.Cart));
        Assert.Equal([7], read!.Items);
    }

    public static TheoryData<string, string> MalformedCarts => new()
    {
        { "", "empty input is not a JSON value" },
        { "{", "truncated object" },
        { """{"owner":"a","items":[1,2""", "truncated array" },
        { """{"owner":"a"} trailing""", "data after the value" },
        { """{"owner":"a",}""", "trailing comma" },
        { """{'owner':'a'}""", "single quotes are not JSON" },
        { """{"owner":"a" /* c */}""", "comments are not allowed by default" },
        { """{"owner":"a","items":"not an array","total":0}""", "wrong shape: string where an array is expected" },
        { """{"owner":"a","items":[1],"total":"abc"}""", "a string that is not a number where a number is expected" },
        { """{"owner":"a","items":[99999999999],"total":0}""", "an item out of the Int32 range" },
        { """[1,2,3]""", "an array where an object is expected" },
        { "\"just a string\"", "a string where an object is expected" },
        { "NaN", "not a JSON literal" },
    };

    [Theory]
    [MemberData(nameof(MalformedCarts))]
    public void TryDeserialize_Malformed_FalseWithoutThrowing(string json, string why)
    {
        var ok = SessionAttributeSerializer.TryDeserialize<Cart>(Encoding.UTF8.GetBytes(json), out var read);

        Assert.False(ok, why);
        Assert.Null(read);
    }

    [Fact]
    public void TryDeserialize_InvalidUtf8_False()
    {
        // 0xC3 starts a two-byte sequence that 0x28 does not continue.
        Assert.False(SessionAttributeSerializer.TryDeserialize<string>([0x22, 0xC3, 0x28, 0x22], out _));
    }

    [Fact]
    public void TryDeserialize_BinaryGarbage_False()
    {
        Assert.False(SessionAttributeSerializer.TryDeserialize<Cart>([0xFF, 0xFE, 0x00, 0x01, 0x7F], out _));
    }

    [Fact]
    public void TryDeserialize_NestingBeyondMaxDepth_False()
    {
        var deep = new string('[', 100) + new string(']', 100);

        Assert.False(SessionAttributeSerializer.TryDeserialize<JsonElement>(Encoding.UTF8.GetBytes(deep), out _));
    }

    [Fact]
    public void TryDeserialize_NestingWithinMaxDepth_True()
    {
        var nested = new string('[', 20) + new string(']', 20);

        Assert.True(SessionAttributeSerializer.TryDeserialize<JsonElement>(Encoding.UTF8.GetBytes(nested), out _));
    }

    [Fact]
    public void TryDeserialize_MissingRequiredProperty_False()
    {
        Assert.False(SessionAttributeSerializer.TryDeserialize<Required>("{}"u8, out _));
    }

    [Fact]
    public void TryDeserialize_TypeNameInPayloadForObject_ReadsPlainDataNotAType()
    {
        // A payload naming a .NET type must never make the serializer create that type.
        var json = """{"$type":"System.IO.FileInfo, System.IO.FileSystem","fileName":"/etc/passwd"}"""u8;

        Assert.True(SessionAttributeSerializer.TryDeserialize<object>(json, out var read));
        Assert.IsType<JsonElement>(read);
    }

    [Fact]
    public void TryDeserialize_UnknownDiscriminator_False()
    {
        Assert.False(SessionAttributeSerializer.TryDeserialize<Shape>("""{"$type":"System.IO.FileInfo","radius":1}"""u8, out _));
    }

    [Fact]
    public void TryDeserialize_AbstractTypeWithoutDiscriminator_False()
    {
        Assert.False(SessionAttributeSerializer.TryDeserialize<Shape>("""{"radius":1}"""u8, out _));
    }

    [Fact]
    public void TryDeserialize_DeclaredDerivedType_Reads()
    {
        Assert.True(SessionAttributeSerializer.TryDeserialize<Shape>("""{"$type":"circle","radius":2}"""u8, out var read));
        Assert.Equal(new Circle(2), read);
    }

    [Fact]
    public void TryDeserialize_TypeInfoOverloadMalformed_False()
    {
        Assert.False(SessionAttributeSerializer.TryDeserialize("{oops"u8, out _, TestJsonContext.Default.Cart));
    }

    [Fact]
    public void CreateDefaultOptions_Always_WebDefaultsWithDepth32AndFreshInstance()
    {
        var options = SessionAttributeSerializer.CreateDefaultOptions();

        Assert.Equal(32, options.MaxDepth);
        Assert.Equal(JsonNamingPolicy.CamelCase, options.PropertyNamingPolicy);
        Assert.True(options.PropertyNameCaseInsensitive);
        Assert.NotSame(options, SessionAttributeSerializer.CreateDefaultOptions());
        Assert.False(options.IsReadOnly);
    }
}
