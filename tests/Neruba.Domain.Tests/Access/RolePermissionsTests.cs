using Neruba.Domain.Access;

namespace Neruba.Domain.Tests.Access;

public class RolePermissionsTests
{
    [Theory]
    [InlineData(ProjectRole.Viewer, Permission.ViewConsole, true)]
    [InlineData(ProjectRole.Viewer, Permission.ManageCustomers, false)]
    [InlineData(ProjectRole.Viewer, Permission.RunJobs, false)]
    [InlineData(ProjectRole.Support, Permission.ManageCustomers, true)]
    [InlineData(ProjectRole.Support, Permission.ManageMoney, false)]
    [InlineData(ProjectRole.Finance, Permission.ManageMoney, true)]
    [InlineData(ProjectRole.Finance, Permission.RunJobs, false)]
    [InlineData(ProjectRole.Operator, Permission.RunJobs, true)]
    [InlineData(ProjectRole.Operator, Permission.ManageMoney, false)]
    [InlineData(ProjectRole.Operator, Permission.ManageProject, false)]
    [InlineData(ProjectRole.Admin, Permission.ManageProject, true)]
    public void Each_role_holds_exactly_its_powers(ProjectRole role, Permission permission, bool expected)
    {
        Assert.Equal(expected, RolePermissions.Allows(role, permission));
    }

    [Fact]
    public void Admin_holds_every_permission()
    {
        Assert.All(Enum.GetValues<Permission>(), p => Assert.True(RolePermissions.Allows(ProjectRole.Admin, p)));
    }

    [Fact]
    public void Every_role_can_read_the_console()
    {
        Assert.All(Enum.GetValues<ProjectRole>(), r => Assert.True(RolePermissions.Allows(r, Permission.ViewConsole)));
    }

    [Fact]
    public void Finance_and_Operator_are_separate_powers()
    {
        var finance = RolePermissions.Of(ProjectRole.Finance);
        var operatorPowers = RolePermissions.Of(ProjectRole.Operator);
        Assert.False(finance.IsSupersetOf(operatorPowers));
        Assert.False(operatorPowers.IsSupersetOf(finance));
    }

    [Fact]
    public void An_undefined_role_holds_nothing()
    {
        Assert.False(RolePermissions.Allows((ProjectRole)99, Permission.ViewConsole));
        Assert.Empty(RolePermissions.Of((ProjectRole)99));
    }

    [Fact]
    public void A_membership_refuses_an_undefined_role()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new ProjectMembership(Guid.NewGuid(), Guid.NewGuid(), "user-1", (ProjectRole)42, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void A_membership_allows_what_its_role_allows()
    {
        var membership = new ProjectMembership(Guid.NewGuid(), Guid.NewGuid(), "user-1", ProjectRole.Support, DateTimeOffset.UnixEpoch);
        Assert.True(membership.Allows(Permission.ManageCustomers));
        Assert.False(membership.Allows(Permission.ManageProject));
    }
}
