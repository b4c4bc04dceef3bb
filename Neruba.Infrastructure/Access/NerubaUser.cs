using Microsoft.AspNetCore.Identity;

namespace Neruba.Infrastructure.Access;

/// <summary>A console user. Which projects they may act in is held by project memberships, not Identity roles.</summary>
public sealed class NerubaUser : IdentityUser
{
    /// <summary>The project the person last switched to; the console opens it next time.</summary>
    public Guid? CurrentProjectId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Light or dark console, remembered per person across sign-ins and devices.</summary>
    public bool PrefersDarkMode { get; set; }
}
