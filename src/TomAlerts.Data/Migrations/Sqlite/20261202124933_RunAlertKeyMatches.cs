using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TomAlerts.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RunAlertKeyMatches : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Matched",
                table: "RunAlertKeys",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // The keys stored before: matched when a target or an alias goes by the name now.
            migrationBuilder.Sql(@"UPDATE ""RunAlertKeys"" SET ""Matched"" = 1 WHERE EXISTS (SELECT 1 FROM ""Targets"" t WHERE t.""NormalizedName"" = ""RunAlertKeys"".""Key"") OR EXISTS (SELECT 1 FROM ""TargetNames"" n WHERE n.""NormalizedName"" = ""RunAlertKeys"".""Key"");");

            migrationBuilder.CreateIndex(
                name: "IX_RunAlertKeys_Key",
                table: "RunAlertKeys",
                column: "Key");

            migrationBuilder.CreateIndex(
                name: "IX_RunAlertKeys_Matched",
                table: "RunAlertKeys",
                columns: new[] { "QueryRunId", "AlertId" },
                filter: "\"Matched\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RunAlertKeys_Key",
                table: "RunAlertKeys");

            migrationBuilder.DropIndex(
                name: "IX_RunAlertKeys_Matched",
                table: "RunAlertKeys");

            migrationBuilder.DropColumn(
                name: "Matched",
                table: "RunAlertKeys");
        }
    }
}
