using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Neruba.Infrastructure.Persistence.Migrations.SqlServer
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
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "UsageCutoffWindows",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    CutoffId = table.Column<long>(type: "bigint", nullable: false),
                    MetricId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    From = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    To = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
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
