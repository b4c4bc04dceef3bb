using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Neruba.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CutoffWindows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "HasWindows",
                table: "UsageCutoffs",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "UsageCutoffWindows",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CutoffId = table.Column<long>(type: "INTEGER", nullable: false),
                    MetricId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    From = table.Column<long>(type: "INTEGER", nullable: false),
                    To = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageCutoffWindows", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UsageCutoffWindows_UsageCutoffs_CutoffId",
                        column: x => x.CutoffId,
                        principalTable: "UsageCutoffs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UsageCutoffWindows_CutoffId_MetricId",
                table: "UsageCutoffWindows",
                columns: new[] { "CutoffId", "MetricId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UsageCutoffWindows");

            migrationBuilder.DropColumn(
                name: "HasWindows",
                table: "UsageCutoffs");
        }
    }
}
