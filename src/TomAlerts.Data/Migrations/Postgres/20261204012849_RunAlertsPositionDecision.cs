using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TomAlerts.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RunAlertsPositionDecision : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RunAlerts_QueryRunId_Position",
                table: "RunAlerts");

            migrationBuilder.CreateIndex(
                name: "IX_RunAlerts_QueryRunId_Position_Decision",
                table: "RunAlerts",
                columns: new[] { "QueryRunId", "Position", "Decision" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RunAlerts_QueryRunId_Position_Decision",
                table: "RunAlerts");

            migrationBuilder.CreateIndex(
                name: "IX_RunAlerts_QueryRunId_Position",
                table: "RunAlerts",
                columns: new[] { "QueryRunId", "Position" });
        }
    }
}
