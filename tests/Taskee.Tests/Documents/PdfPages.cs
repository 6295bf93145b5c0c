using System.Diagnostics;

namespace Taskee.Tests.Documents;

/// <summary>The first page of a PDF as a grey image, drawn by poppler's pdftoppm (tests/run.sh installs poppler-utils).</summary>
public static class PdfPages
{
    public const string PdfToPpm = "/usr/bin/pdftoppm";

    /// <summary>The share of the first page's pixels that are not white (at 40 dpi).</summary>
    public static async Task<double> InkedShareOfFirstPageAsync(byte[] pdf)
    {
        Assert.True(File.Exists(PdfToPpm), $"{PdfToPpm} is missing: install Debian's poppler-utils (tests/run.sh does).");
        var folder = Directory.CreateTempSubdirectory("taskee-pdf-test-");
        try
        {
            var input = Path.Combine(folder.FullName, "doc.pdf");
            await File.WriteAllBytesAsync(input, pdf);
            var start = new ProcessStartInfo(PdfToPpm) { RedirectStandardError = true };
            foreach (var a in new[] { "-gray", "-r", "40", "-f", "1", "-l", "1", "-singlefile", input, Path.Combine(folder.FullName, "page") }) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
            return InkedShare(await File.ReadAllBytesAsync(Path.Combine(folder.FullName, "page.pgm")));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Binary PGM (P5, 8 bit): a header of four whitespace-separated fields, then one byte per pixel.</summary>
    private static double InkedShare(byte[] pgm)
    {
        var position = 0;
        string Field()
        {
            while (char.IsWhiteSpace((char)pgm[position])) position++;
            var begin = position;
            while (!char.IsWhiteSpace((char)pgm[position])) position++;
            return System.Text.Encoding.ASCII.GetString(pgm, begin, position - begin);
        }
        Assert.Equal("P5", Field());
        var width = int.Parse(Field());
        var height = int.Parse(Field());
        Assert.Equal("255", Field());
        var pixels = pgm.AsSpan(position + 1, width * height);
        var inked = 0;
        foreach (var p in pixels) if (p < 200) inked++;
        return (double)inked / pixels.Length;
    }
}
