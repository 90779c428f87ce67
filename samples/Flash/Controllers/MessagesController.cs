using Microsoft.AspNetCore.Mvc;

namespace Flash.Controllers;

/// <summary>
/// TempData the way MVC applications use it: set a message, redirect, show it once; <c>Peek</c> reads without consuming,
/// <c>Keep</c> keeps a read message for one more request.
/// </summary>
[Route("mvc")]
public sealed class MessagesController : Controller
{
    private const string Key = "message";

    /// <summary>Sets the message and redirects to the page that shows it (the post/redirect/get pattern).</summary>
    [HttpPost("set")]
    [IgnoreAntiforgeryToken] // A demo endpoint driven by tests without a form page.
    public IActionResult Set([FromForm] string text)
    {
        TempData[Key] = text;
        return Redirect("/mvc/show");
    }

    /// <summary>Renders a view that reads the message (read once: it is gone on the next request).</summary>
    [HttpGet("show")]
    public IActionResult Show() => View();

    /// <summary>Reads the message (read once).</summary>
    [HttpGet("read")]
    public IActionResult Read() => Content(TempData[Key] as string ?? "(none)");

    /// <summary>Reads the message without consuming it.</summary>
    [HttpGet("peek")]
    public IActionResult Peek() => Content(TempData.Peek(Key) as string ?? "(none)");

    /// <summary>Reads the message and keeps it for the next request.</summary>
    [HttpGet("keep")]
    public IActionResult Keep()
    {
        var message = TempData[Key] as string;
        TempData.Keep(Key);
        return Content(message ?? "(none)");
    }
}
