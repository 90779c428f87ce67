using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Flash.Pages;

/// <summary>A Razor Page with a <c>[TempData]</c> property: set on POST, shown once after the redirect.</summary>
[IgnoreAntiforgeryToken] // A demo page driven by tests without a form.
public sealed class FlashModel : PageModel
{
    /// <summary>The message, kept in TempData between the POST and the GET that follows it.</summary>
    [TempData]
    public string? Message { get; set; }

    /// <summary>Shows the message, if any (consuming it).</summary>
    public void OnGet()
    {
    }

    /// <summary>Sets the message and redirects to the page.</summary>
    public IActionResult OnPost([FromForm] string text)
    {
        Message = text;
        return RedirectToPage();
    }
}
