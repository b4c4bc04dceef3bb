using Neruba.Domain.Access;

namespace Neruba.Domain.Tests.Access;

public class ProjectTests
{
    [Fact]
    public void A_project_name_is_trimmed()
    {
        var project = new Project(Guid.NewGuid(), "  Acme  ", "acme", "USD", "UTC", DateTimeOffset.UnixEpoch);
        Assert.Equal("Acme", project.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_project_needs_a_name(string name)
    {
        Assert.ThrowsAny<ArgumentException>(() => new Project(Guid.NewGuid(), name, "acme", "USD", "UTC", DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void An_overlong_project_name_is_refused()
    {
        var name = new string('x', Project.MaxNameLength + 1);
        var error = Assert.Throws<ArgumentException>(() => new Project(Guid.NewGuid(), name, "acme", "USD", "UTC", DateTimeOffset.UnixEpoch));
        Assert.Contains("at most", error.Message, StringComparison.Ordinal);
    }
}
