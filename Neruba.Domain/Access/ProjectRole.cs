namespace Neruba.Domain.Access;

/// <summary>
/// The one role a person holds in a project. Finance and Operator are separate powers:
/// neither includes the other, and only Admin includes both.
/// </summary>
public enum ProjectRole
{
    Viewer = 1,
    Support = 2,
    Finance = 3,
    Operator = 4,
    Admin = 5,
}
