using System.Globalization;

namespace Taskee.Api.Documents;

/// <summary>Euro amounts as each language writes them: € 1.234,56 in Dutch, €1,234.56 in English.</summary>
public static class Money
{
    private static readonly NumberFormatInfo Dutch = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = "." };

    public static string Format(long cents, string language) => language == "nl"
        ? "€ " + (cents / 100m).ToString("N2", Dutch)
        : "€" + (cents / 100m).ToString("N2", NumberFormatInfo.InvariantInfo);
}
