using System.Text;

namespace Stickless.Tests;

/// <summary>The commutative operations on stored bytes: a table of good and malformed stored values, each saying why.</summary>
public sealed class AttributeOperationsTests
{
    public static TheoryData<string, string?, string, string> Cases => new()
    {
        // operation, stored (null = absent), argument, expected ("refused", "unchanged" or the new value)
        { "inc", null, "5", "5" },                                  // absent counts as 0
        { "inc", "41", "1", "42" },                                 // plain integer
        { "inc", "-1", "1", "0" },                                  // negative values are integers too
        { "inc", "10", "-15", "-5" },                               // negative deltas
        { "inc", " 7 ", "1", "8" },                                 // JSON allows surrounding whitespace
        { "inc", "1.5", "1", "refused" },                           // not an integer
        { "inc", "1e3", "1", "refused" },                           // exponent form is not an integer token
        { "inc", "\"5\"", "1", "refused" },                         // a string, even of digits
        { "inc", "[1]", "1", "refused" },                           // an array
        { "inc", "", "1", "refused" },                              // empty bytes are not JSON
        { "inc", "5 6", "1", "refused" },                           // two values
        { "inc", "9223372036854775807", "1", "refused" },           // would overflow
        { "inc", "99999999999999999999", "1", "refused" },          // beyond 64 bits
        { "add", null, "1", "[1]" },                                // absent counts as []
        { "add", "[]", "\"a\"", "[\"a\"]" },                        // string member
        { "add", "[1,2]", "3", "[1,2,3]" },                         // appended, order kept
        { "add", "[1,2]", "2", "unchanged" },                       // already there
        { "add", "[1]", "\"1\"", "[1,\"1\"]" },                     // the string "1" is not the integer 1
        { "add", "[ 1 , 2 ]", "3", "[1,2,3]" },                     // whitespace is normalized on rewrite
        { "add", "[1,{\"a\":1}]", "2", "[1,{\"a\":1},2]" },         // other kinds of elements are kept as they are
        { "add", "[\"caf\\u00e9\"]", "\"café\"", "unchanged" },     // strings compare by value, not by escaping
        { "add", "{}", "1", "refused" },                            // an object is not a set
        { "add", "1", "1", "refused" },                             // a scalar is not a set
        { "add", "[1,", "2", "refused" },                           // truncated JSON
        { "remove", null, "1", "unchanged" },                       // nothing to remove from
        { "remove", "[1,2,1]", "1", "[2]" },                        // every equal member goes
        { "remove", "[1,2]", "3", "unchanged" },                    // absent member
        { "remove", "[1]", "1", "[]" },                             // the set may become empty, not absent
        { "remove", "\"x\"", "1", "refused" },                      // a string is not a set
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Apply_Table(string operation, string? stored, string argument, string expected)
    {
        var change = operation switch
        {
            "inc" => AttributeChange.Increment(long.Parse(argument, System.Globalization.CultureInfo.InvariantCulture)),
            "add" => AttributeChange.AddToSet(Encoding.UTF8.GetBytes(argument)),
            _ => AttributeChange.RemoveFromSet(Encoding.UTF8.GetBytes(argument)),
        };

        var outcome = AttributeOperations.Apply(change, stored is null ? default : Encoding.UTF8.GetBytes(stored), stored is not null, out var result);

        var actual = outcome switch
        {
            AttributeOperations.Outcome.Refused => "refused",
            AttributeOperations.Outcome.Unchanged => "unchanged",
            _ => Encoding.UTF8.GetString(result!),
        };
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("{}")]          // objects are not members
    [InlineData("[1]")]         // nor arrays
    [InlineData("1.5")]         // nor fractions
    [InlineData("true")]        // nor booleans
    [InlineData("null")]        // nor null
    [InlineData("")]            // nor nothing
    [InlineData("\"a\" \"b\"")] // nor two values
    public void SetOperation_MemberThatIsNotAStringOrInteger_Throws(string member)
    {
        Assert.Throws<ArgumentException>(() => AttributeChange.AddToSet(Encoding.UTF8.GetBytes(member)));
        Assert.Throws<ArgumentException>(() => AttributeChange.RemoveFromSet(Encoding.UTF8.GetBytes(member)));
    }
}
