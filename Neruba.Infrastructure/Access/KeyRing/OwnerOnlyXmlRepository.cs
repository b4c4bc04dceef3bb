using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Neruba.Infrastructure.Access.KeyRing;

/// <summary>
/// Keeps the key ring as XML files in one folder that only the app's account can read: the folder is
/// 0700 and every key file 0600 on Unix, from the moment it is created (never briefly readable by others).
/// </summary>
internal sealed class OwnerOnlyXmlRepository(string directory) : IXmlRepository
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly Lock _gate = new();
    private bool _prepared;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        Prepare();
        var elements = new List<XElement>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.xml"))
        {
            using var stream = File.OpenRead(file);
            elements.Add(XElement.Load(stream));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        Prepare();
        var name = friendlyName.Length > 0 && friendlyName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? friendlyName : Guid.NewGuid().ToString();
        var temporary = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".tmp");
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        using (var stream = new FileStream(temporary, options))
        {
            element.Save(stream);
        }

        // Written aside and renamed, so another node never reads half a key.
        File.Move(temporary, Path.Combine(directory, name + ".xml"));
    }

    private void Prepare()
    {
        lock (_gate)
        {
            if (_prepared)
            {
                return;
            }

            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, DirectoryMode);
                // A folder or files made earlier (by hand, or by an older version) are tightened too.
                File.SetUnixFileMode(directory, DirectoryMode);
                foreach (var file in Directory.EnumerateFiles(directory, "*.xml"))
                {
                    File.SetUnixFileMode(file, FileMode);
                }
            }

            _prepared = true;
        }
    }
}
