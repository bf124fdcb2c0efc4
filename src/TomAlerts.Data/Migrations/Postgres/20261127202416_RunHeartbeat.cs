using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TomAlerts.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RunHeartbeat : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "Heartbeat",
                table: "QueryRuns",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Heartbeat",
                table: "QueryRuns");
        }
    }
}
