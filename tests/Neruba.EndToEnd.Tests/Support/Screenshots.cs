using Microsoft.Playwright;

namespace Neruba.EndToEnd.Tests.Support;

/// <summary>Screenshots land in test-artifacts/ at the repository root (ignored by git) for people to look at.</summary>
public static class Screenshots
{
    public static string Folder
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Neruba.sln")))
            {
                root = root.Parent;
            }

            var folder = Path.Combine(root?.FullName ?? Path.GetTempPath(), "test-artifacts");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    public static async Task<string> SaveAsync(IPage page, string name)
    {
        var path = Path.Combine(Folder, name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>Runs a browser scenario; when it fails, saves what the page showed and the console's log beside it.</summary>
    public static async Task OnFailureAsync(IPage page, ConsoleProcess console, string name, Func<Task> scenario)
    {
        try
        {
            await scenario();
        }
        catch (Exception)
        {
            var path = await SaveAsync(page, name + "-failure");
            await File.WriteAllTextAsync(Path.ChangeExtension(path, ".log"), console.Output);
            throw;
        }
    }
}
