package label

import "trustwatch"

// Role names a role: 只读, 分析员, 管理员.
func Role(r trustwatch.Role) string {
	switch r {
	case trustwatch.RoleViewer:
		return "只读"
	case trustwatch.RoleAnalyst:
		return "分析员"
	case trustwatch.RoleAdmin:
		return "管理员"
	}
	return string(r)
}

// AuditAction names what was done to an alert: 确认, 解决, 评论, 指派, 暂停,
// 标记为误报, 撤销误报.
func AuditAction(action string) string {
	switch action {
	case trustwatch.AuditAck:
		return "确认"
	case trustwatch.AuditResolve:
		return "解决"
	case trustwatch.AuditComment:
		return "评论"
	case trustwatch.AuditAssign:
		return "指派"
	case trustwatch.AuditSnooze:
		return "暂停"
	case trustwatch.AuditFalseAlarm:
		return "标记为误报"
	case trustwatch.AuditWithdraw:
		return "撤销误报"
	}
	return action
}
