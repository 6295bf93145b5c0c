using System.Globalization;
using System.Text;

namespace Taskee.Api.Sales.Onboarding;

/// <summary>An organisation id proposed from a prospect's organisation name: "Zorggroep Noord-Oost" → <c>zorggroep-noord-oost</c>.</summary>
public static class OrganisationSlug
{
    private const int MaxLength = 63;

    public static string From(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue; // é → e
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
        }
        var text = slug.ToString().Trim('-');
        if (text.Length > MaxLength) text = text[..MaxLength].TrimEnd('-');
        return text.Length >= 3 ? text : $"org-{text}".TrimEnd('-'); // ids are 3 characters at least
    }
}
